package dev.dendrite.reference.gan;

import dev.dendrite.gan.GanEpochStats;
import dev.dendrite.gan.GanState;
import dev.dendrite.reference.report.Charts;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The DCGAN report's plots: the sample score per epoch against the real images', and the D and G losses. */
public final class GanCharts {
    private GanCharts() {}

    static void write(Path file, GanState end, double realScore, double target, List<double[]> losses) {
        List<GanEpochStats> history = end.history();
        double[] epochs = history.stream().mapToDouble(GanEpochStats::epoch).toArray();
        double[] scores = history.stream().mapToDouble(GanEpochStats::score).toArray();
        XYChart score = new XYChartBuilder().width(Charts.W).height(Charts.H).title("sample score per epoch")
                .xAxisTitle("epoch").yAxisTitle("classifier score (exp E[KL])").build();
        score.getStyler().setYAxisMin(1.0);
        score.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE);
        score.addSeries("DCGAN samples", epochs, scores);
        double[] ends = {epochs[0], epochs[epochs.length - 1]};
        score.addSeries("real test images", ends, new double[] {realScore, realScore}).setMarker(SeriesMarkers.NONE);
        score.addSeries(String.format("target: %.0f%% of real", target * 100), ends,
                new double[] {target * realScore, target * realScore}).setMarker(SeriesMarkers.NONE);

        XYChart loss = losses(losses);
        // Every epoch's means too: a resumed process has the per-step losses of its own epochs only.
        double stepsPerEpoch = (double) end.discriminatorSteps() / end.epoch();
        double[] x = history.stream().mapToDouble(e -> e.epoch() * stepsPerEpoch).toArray();
        loss.addSeries("D, epoch mean", x, history.stream().mapToDouble(GanEpochStats::discriminatorLoss).toArray())
                .setMarker(SeriesMarkers.CIRCLE);
        loss.addSeries("G, epoch mean", x, history.stream().mapToDouble(GanEpochStats::generatorLoss).toArray())
                .setMarker(SeriesMarkers.CIRCLE);
        Charts.write(file, List.of(score, loss));
    }

    /** The D and G loss curves alone, for a run without a sample score ({@code dendrite train GAN.json}). */
    public static void writeLosses(Path file, List<double[]> losses) {
        Charts.write(file, List.of(losses(losses)));
    }

    private static XYChart losses(List<double[]> losses) {
        XYChart loss = new XYChartBuilder().width(Charts.W).height(Charts.H).title("losses (mean per window of steps)")
                .xAxisTitle("discriminator step").yAxisTitle("loss").build();
        loss.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        if (losses.isEmpty()) {
            return loss; // a resumed run with no epoch left to train
        }
        double[] steps = losses.stream().mapToDouble(r -> r[0]).toArray();
        loss.addSeries("discriminator", steps, losses.stream().mapToDouble(r -> r[1]).toArray())
                .setMarker(SeriesMarkers.NONE);
        double[] g = losses.stream().mapToDouble(r -> r[2]).toArray();
        if (Arrays.stream(g).noneMatch(Double::isNaN)) {
            loss.addSeries("generator", steps, g).setMarker(SeriesMarkers.NONE);
        }
        return loss;
    }
}

package dev.dendrite.reference.report;

import dev.dendrite.tensor.DendriteException;
import dev.dendrite.train.EpochStats;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** curve.png: loss (train and test) and test accuracy per epoch, side by side. */
public final class CurvePlot {
    private static final int W = 640;
    private static final int H = 420;

    private CurvePlot() {}

    /** {@code paper}: the published accuracy, one value or a band's two edges (none: no line). */
    public static void write(Path file, String title, List<EpochStats> history, double[] paper) {
        System.setProperty("java.awt.headless", "true");
        double[] epochs = history.stream().mapToDouble(EpochStats::epoch).toArray();
        XYChart loss = new XYChartBuilder().width(W).height(H).title(title + ": loss").xAxisTitle("epoch")
                .yAxisTitle("cross-entropy").build();
        loss.addSeries("train", epochs, history.stream().mapToDouble(EpochStats::trainLoss).toArray())
                .setMarker(SeriesMarkers.CIRCLE);
        loss.addSeries("test", epochs, history.stream().mapToDouble(EpochStats::testLoss).toArray())
                .setMarker(SeriesMarkers.DIAMOND);
        XYChart acc = new XYChartBuilder().width(W).height(H).title(title + ": test accuracy").xAxisTitle("epoch")
                .yAxisTitle("accuracy").build();
        acc.addSeries("Dendrite", epochs, history.stream().mapToDouble(EpochStats::testAccuracy).toArray())
                .setMarker(SeriesMarkers.CIRCLE);
        for (int i = 0; i < paper.length; i++) {
            double[] line = new double[epochs.length];
            java.util.Arrays.fill(line, paper[i]);
            String name = paper.length == 1 ? "paper" : i == 0 ? "paper band, low" : "paper band, high";
            acc.addSeries(name, epochs, line).setMarker(SeriesMarkers.NONE);
        }
        BufferedImage out = new BufferedImage(2 * W, H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.drawImage(BitmapEncoder.getBufferedImage(loss), 0, 0, null);
        g.drawImage(BitmapEncoder.getBufferedImage(acc), W, 0, null);
        g.dispose();
        try {
            ImageIO.write(out, "png", file.toFile());
        } catch (IOException e) {
            throw new DendriteException(file + ": cannot write the plot: " + e.getMessage(), e);
        }
    }
}

package dev.dendrite.reference.report;

import dev.dendrite.tensor.DendriteException;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;

/** The studies' plots: panels of XChart charts side by side in one PNG. */
public final class Charts {
    public static final int W = 640;
    public static final int H = 420;

    static {
        System.setProperty("java.awt.headless", "true");
    }

    private Charts() {}

    /** An x–y chart with both axes logarithmic. */
    public static XYChart logLog(String title, String x, String y) {
        XYChart c = new XYChartBuilder().width(W).height(H).title(title).xAxisTitle(x).yAxisTitle(y).build();
        c.getStyler().setXAxisLogarithmic(true).setYAxisLogarithmic(true)
                .setLegendPosition(Styler.LegendPosition.InsideNE);
        return c;
    }

    /** An x–y chart with a logarithmic x axis. */
    public static XYChart logX(String title, String x, String y) {
        XYChart c = new XYChartBuilder().width(W).height(H).title(title).xAxisTitle(x).yAxisTitle(y).build();
        c.getStyler().setXAxisLogarithmic(true).setLegendPosition(Styler.LegendPosition.InsideSE);
        return c;
    }

    /** One bar per name, its value printed on it; the y axis from 0. */
    public static CategoryChart bars(String title, String y, List<String> names, List<Double> values) {
        CategoryChart c = new CategoryChartBuilder().width(W).height(H).title(title).yAxisTitle(y).build();
        c.getStyler().setLegendVisible(false);
        c.getStyler().setLabelsVisible(true);
        c.getStyler().setDecimalPattern("0.0");
        c.addSeries(y, names, values);
        return c;
    }

    /** Accuracies side by side: the y axis starts just below the lowest, so that differences of a point show. */
    public static CategoryChart accuracyBars(String title, List<String> names, List<Double> values) {
        CategoryChart c = bars(title, "accuracy", names, values);
        double low = values.stream().mapToDouble(Double::doubleValue).filter(v -> !Double.isNaN(v)).min().orElse(0);
        c.getStyler().setYAxisMin(Math.max(0, Math.floor(low * 20 - 1) / 20)).setYAxisMax(1.0)
                .setYAxisDecimalPattern("0.000"); // XChart labels the bars with the axis pattern
        return c;
    }

    /** The panels left to right in one PNG. */
    public static void write(Path file, List<? extends Chart<?, ?>> panels) {
        BufferedImage out = new BufferedImage(W * panels.size(), H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        for (int i = 0; i < panels.size(); i++) {
            g.drawImage(BitmapEncoder.getBufferedImage(panels.get(i)), i * W, 0, null);
        }
        g.dispose();
        try {
            ImageIO.write(out, "png", file.toFile());
        } catch (IOException e) {
            throw new DendriteException(file + ": cannot write the plot: " + e.getMessage(), e);
        }
    }
}

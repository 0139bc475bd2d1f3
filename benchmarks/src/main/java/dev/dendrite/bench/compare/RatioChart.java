package dev.dendrite.bench.compare;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;

/** compare.png: Dendrite's speed relative to PyTorch, ONNX Runtime (and DL4J with --dl4j) per workload (1 = parity). */
final class RatioChart {
    private RatioChart() {}

    static void write(List<Results.Row> rows, Path file) throws IOException {
        System.setProperty("java.awt.headless", "true");
        CategoryChart chart = new CategoryChartBuilder().width(900).height(480)
                .title("Dendrite samples/s relative to the other engine (above 1: Dendrite is faster)")
                .xAxisTitle("workload").yAxisTitle("ratio").build();
        chart.getStyler().setXAxisLabelRotation(30);
        List<String> names = new ArrayList<>();
        List<Double> vsTorch = new ArrayList<>();
        List<Double> vsOrt = new ArrayList<>();
        List<Double> vsDl4j = new ArrayList<>();
        List<Double> vsDl4jOneDnn = new ArrayList<>();
        for (Results.Row r : rows) {
            if (r.vsPytorch() == null && r.vsOnnxRuntime() == null) {
                continue;
            }
            names.add(r.workload().name());
            vsTorch.add(r.vsPytorch() == null ? 0.0 : r.vsPytorch().median());
            vsOrt.add(r.vsOnnxRuntime() == null ? 0.0 : r.vsOnnxRuntime().median());
            vsDl4j.add(r.vsDl4j() == null ? 0.0 : r.vsDl4j().median());
            vsDl4jOneDnn.add(r.vsDl4jOneDnn() == null ? 0.0 : r.vsDl4jOneDnn().median());
        }
        if (names.isEmpty()) {
            names.add("(no comparison measured)");
            vsTorch.add(0.0);
            vsOrt.add(0.0);
        }
        chart.addSeries("vs PyTorch", names, vsTorch);
        chart.addSeries("vs ONNX Runtime", names, vsOrt);
        if (rows.stream().anyMatch(r -> r.vsDl4j() != null || r.vsDl4jOneDnn() != null)) {
            chart.addSeries("vs DL4J as shipped", names, vsDl4j);
            chart.addSeries("vs DL4J with oneDNN", names, vsDl4jOneDnn);
        }
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    }
}

package dev.dendrite.bench.compare;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The measurements of one comparison, milliseconds per iteration by workload, engine and round, and the
 * table they make: median samples/s per engine, and per round the ratio Dendrite/other of samples/s (so
 * above 1 means Dendrite is faster), reported as its median and min–max over the rounds.
 */
public final class Results {
    public static final String DENDRITE = "dendrite";
    public static final String PYTORCH = "pytorch";
    public static final String ONNXRUNTIME = "onnxruntime";
    /** Dendrite with every step eager ({@code --eager}): what compiled steps gain is dendrite / dendrite_eager. */
    public static final String DENDRITE_EAGER = "dendrite_eager";
    /** Deeplearning4j as shipped: its layer helpers (oneDNN among them) off by default ({@code --dl4j}). */
    public static final String DL4J = "dl4j";
    /** Deeplearning4j with its oneDNN helpers engaged: the best it can do here ({@code --dl4j}). */
    public static final String DL4J_ONEDNN = "dl4j_onednn";
    /** compare.csv's header; scripts rely on the first seven columns, later ones are appended after them. */
    public static final String CSV_HEADER =
            "workload,unit,dendrite,pytorch,onnxruntime,ratio_vs_pytorch,ratio_vs_onnxruntime,dendrite_eager,"
            + "dl4j,ratio_vs_dl4j,dl4j_onednn,ratio_vs_dl4j_onednn";

    /** A ratio's median and spread over rounds. */
    public record Ratio(double median, double min, double max) {}

    /**
     * One table row; NaN (or null) where a side does not apply or was not measured; {@code notRun} the reason the
     * whole row was not run, else null.
     */
    public record Row(Workload workload, double dendrite, double pytorch, double onnxruntime, Ratio vsPytorch,
            Ratio vsOnnxRuntime, double dendriteEager, double dl4j, Ratio vsDl4j, double dl4jOneDnn,
            Ratio vsDl4jOneDnn, String notRun) {}

    private final Map<String, Map<String, List<Double>>> ms = new LinkedHashMap<>();
    private final Map<String, String> notRun = new LinkedHashMap<>();

    /** The row is not run, for {@code reason} (e.g. torchvision is not installed). */
    public void skip(Workload w, String reason) {
        notRun.put(w.name(), reason);
    }

    public boolean skipped(Workload w) {
        return notRun.containsKey(w.name());
    }

    public void add(Workload w, String engine, double msPerIteration) {
        ms.computeIfAbsent(w.name(), k -> new LinkedHashMap<>()).computeIfAbsent(engine, k -> new ArrayList<>())
                .add(msPerIteration);
    }

    public List<Row> rows(List<Workload> workloads) {
        List<Row> rows = new ArrayList<>();
        for (Workload w : workloads) {
            Map<String, List<Double>> m = ms.getOrDefault(w.name(), Map.of());
            rows.add(new Row(w, throughput(w, m.get(DENDRITE)), throughput(w, m.get(PYTORCH)),
                    throughput(w, m.get(ONNXRUNTIME)), ratio(m.get(DENDRITE), m.get(PYTORCH)),
                    ratio(m.get(DENDRITE), m.get(ONNXRUNTIME)), throughput(w, m.get(DENDRITE_EAGER)),
                    throughput(w, m.get(DL4J)), ratio(m.get(DENDRITE), m.get(DL4J)),
                    throughput(w, m.get(DL4J_ONEDNN)), ratio(m.get(DENDRITE), m.get(DL4J_ONEDNN)),
                    notRun.get(w.name())));
        }
        return rows;
    }

    private static double throughput(Workload w, List<Double> ms) {
        return ms == null || ms.isEmpty() ? Double.NaN : w.batch() * 1000.0 / median(ms);
    }

    /** Per round, other's time over Dendrite's (= Dendrite's samples/s over other's); rounds pair by index. */
    private static Ratio ratio(List<Double> dendrite, List<Double> other) {
        if (dendrite == null || other == null || dendrite.isEmpty() || other.isEmpty()) {
            return null;
        }
        int n = Math.min(dendrite.size(), other.size());
        double[] r = new double[n];
        for (int i = 0; i < n; i++) {
            r[i] = other.get(i) / dendrite.get(i);
        }
        return new Ratio(median(Arrays.stream(r).boxed().toList()), Arrays.stream(r).min().orElseThrow(),
                Arrays.stream(r).max().orElseThrow());
    }

    static double median(List<Double> xs) {
        double[] s = xs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    public static void writeCsv(List<Row> rows, Path file) throws IOException {
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(file))) {
            w.println(CSV_HEADER);
            for (Row r : rows) {
                w.println(String.join(",", r.workload().name(), r.workload().unit(), num(r.dendrite()),
                        num(r.pytorch()), num(r.onnxruntime()), median(r.vsPytorch()),
                        median(r.vsOnnxRuntime()), num(r.dendriteEager()), num(r.dl4j()), median(r.vsDl4j()),
                        num(r.dl4jOneDnn()), median(r.vsDl4jOneDnn())));
            }
        }
    }

    private static String median(Ratio r) {
        return r == null ? "" : num(r.median());
    }

    private static String num(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.4g", v);
    }

    /**
     * The console table: numbers, and ratios with their spread; "-" where a side did not run, "not run: why" for a
     * row that did not run at all. The DL4J columns appear only when DL4J ran ({@code --dl4j}).
     */
    public static String table(List<Row> rows) {
        boolean dl4j = rows.stream().anyMatch(r -> !Double.isNaN(r.dl4j()) || !Double.isNaN(r.dl4jOneDnn()));
        String format = "%-26s %-10s %10s %10s %12s  %-22s %-22s %14s";
        String dl4jFormat = "  %10s %-22s %12s %-22s";
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, format, "workload", "unit", "dendrite",
                "pytorch", "onnxruntime", "vs pytorch (min-max)", "vs ORT (min-max)", "dendrite_eager"));
        if (dl4j) {
            b.append(String.format(Locale.ROOT, dl4jFormat, "dl4j", "vs dl4j (min-max)", "dl4j_onednn",
                    "vs dl4j_onednn"));
        }
        b.append('\n');
        for (Row r : rows) {
            if (r.notRun() != null) {
                b.append(String.format(Locale.ROOT, "%-26s %-10s not run: %s%n", r.workload().name(),
                        r.workload().unit(), r.notRun()));
                continue;
            }
            b.append(String.format(Locale.ROOT, format, r.workload().name(), r.workload().unit(), cell(r.dendrite()),
                    cell(r.pytorch()), cell(r.onnxruntime()), ratio(r.vsPytorch()), ratio(r.vsOnnxRuntime()),
                    cell(r.dendriteEager())));
            if (dl4j) {
                b.append(String.format(Locale.ROOT, dl4jFormat, cell(r.dl4j()), ratio(r.vsDl4j()),
                        cell(r.dl4jOneDnn()), ratio(r.vsDl4jOneDnn())));
            }
            b.append('\n');
        }
        return b.toString();
    }

    private static String cell(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%,.0f", v);
    }

    private static String ratio(Ratio r) {
        return r == null ? "-" : String.format(Locale.ROOT, "%.2fx (%.2f-%.2f)", r.median(), r.min(), r.max());
    }
}

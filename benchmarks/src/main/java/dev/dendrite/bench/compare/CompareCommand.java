package dev.dendrite.bench.compare;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code dendrite bench compare}: the same workloads (shapes, float32, random data, optimizer) in Dendrite,
 * PyTorch and ONNX Runtime (on the model Dendrite exports), each engine in a process of its own started with
 * the same thread settings, measured interleaved — every round runs every workload on every engine in turn —
 * after a warm-up round. Prints one table, writes {@code compare.csv} and {@code compare.png}.
 */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = "Side-by-side speed of Dendrite, PyTorch and ONNX Runtime on the same workloads.")
public final class CompareCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--quick", description = "3 rounds of half-length measurements (under 5 minutes).")
    boolean quick;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "1",
            description = "Threads for every engine (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--rounds", paramLabel = "R", description = "Measured rounds (default: 5, or 3 with --quick).")
    Integer rounds;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "runs/bench",
            description = "Where compare.csv, compare.png and the workers' logs go (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--dl4j", description = "Also run Deeplearning4j 1.0.0-M2.1 where it has the layers (LeNet-5, MLP, "
            + "LSTM, inference): as shipped (dl4j) and with its oneDNN helpers engaged (dl4j_onednn). The dendrite "
            + "script builds the optional DL4J engine (Maven profile dl4j) when given this flag.")
    boolean dl4j;

    @Option(names = "--python", paramLabel = "PATH", defaultValue = "/usr/bin/python3",
            description = "The Python with Debian's python3-torch (default: ${DEFAULT-VALUE}).")
    String python;

    @Override
    public Integer call() throws IOException {
        PrintWriter console = spec.commandLine().getOut();
        if (threads < 1) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--threads must be at least 1");
        }
        if (dl4j && !dl4jBuilt()) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--dl4j: the DL4J engine is not on "
                    + "this classpath; ./dendrite bench compare --dl4j builds it (Maven profile dl4j)");
        }
        Files.createDirectories(out);
        Map<String, String> env = threadEnv(threads);
        console.printf(Locale.ROOT, "threads: %d per engine, each in its own process (OMP_NUM_THREADS=%d "
                + "OMP_WAIT_POLICY=PASSIVE OPENBLAS_NUM_THREADS=%d MKL_NUM_THREADS=%d; torch.set_num_threads(%d); "
                + "ONNX Runtime intra-op %d, spinning off)%n", threads, threads, threads, threads, threads, threads);
        int r = rounds != null ? rounds : quick ? 3 : 5;
        Results results = new Results();
        Path models = out.resolve("models").toAbsolutePath();
        try (EngineProcess jvm = EngineProcess.start(javaWorker(Worker.class.getName(), models.toString()), env,
                        out.resolve("worker-jvm.log"));
                EngineProcess torch = startPyTorch(env, console);
                EngineProcess dl4jWorker = dl4j ? startDl4j(env, console) : null) {
            exportTorchvision(torch, models, results, console);
            List<Workload> work = Workload.ALL.stream().filter(w -> !results.skipped(w)).toList();
            // The torchvision rows get a JVM of their own: their models (hundreds of MB of planned memory) took
            // the shared worker's resident size to JavaCPP's limit, where every eager allocation of the other
            // rows waited for a GC (eager LeNet-5 b64 8,667 -> 3,228 samples/s, eager DCGAN 981 -> 189).
            try (EngineProcess imported = work.stream().anyMatch(Workload::torchvision)
                    ? EngineProcess.start(javaWorker(Worker.class.getName(), models.toString()), env,
                            out.resolve("worker-jvm-torchvision.log"))
                    : null) {
                Function<Workload, EngineProcess> jvmFor = w -> w.torchvision() ? imported : jvm;
                console.println("warm-up ...");
                measureAll(work, jvmFor, torch, dl4jWorker, null);
                for (int i = 1; i <= r; i++) {
                    console.printf("round %d/%d ...%n", i, r);
                    console.flush();
                    measureAll(work, jvmFor, torch, dl4jWorker, results);
                }
            }
        }
        List<Results.Row> rows = results.rows(Workload.ALL);
        console.println();
        console.print(Results.table(rows));
        if (rows.stream().anyMatch(row -> row.workload().torchvision() && row.notRun() == null)) {
            console.println("torchvision rows: 3x64x64 images, random weights, 10 classes; Dendrite and ONNX Runtime "
                    + "run the model PyTorch exported");
        }
        Results.writeCsv(rows, out.resolve("compare.csv"));
        RatioChart.write(rows, out.resolve("compare.png"));
        console.println("wrote " + out.resolve("compare.csv") + " and " + out.resolve("compare.png"));
        return 0;
    }

    /** One pass over every workload, every engine in turn; {@code results} null for the warm-up. */
    private void measureAll(List<Workload> work, Function<Workload, EngineProcess> jvmFor,
            EngineProcess torch, EngineProcess dl4jWorker, Results results) throws IOException {
        for (Workload w : work) {
            EngineProcess jvm = jvmFor.apply(w);
            int iters = Math.max(1, quick ? w.iterations() / 2 : w.iterations());
            record(results, w, Results.DENDRITE, jvm.measure(Results.DENDRITE, w.name(), iters));
            record(results, w, Results.DENDRITE_EAGER, jvm.measure(Results.DENDRITE_EAGER, w.name(), iters));
            if (torch != null) {
                record(results, w, Results.PYTORCH, torch.measure(Results.PYTORCH, w.name(), iters));
            }
            if (w.hasOnnxRuntime()) {
                record(results, w, Results.ONNXRUNTIME, jvm.measure(Results.ONNXRUNTIME, w.name(), iters));
            }
            if (dl4jWorker != null && hasModel(dl4jWorker, w)) {
                record(results, w, Results.DL4J, dl4jWorker.measure(Results.DL4J, w.name(), iters));
                record(results, w, Results.DL4J_ONEDNN, dl4jWorker.measure(Results.DL4J_ONEDNN, w.name(), iters));
            }
        }
    }

    private static void record(Results results, Workload w, String engine, double ms) {
        if (results != null) {
            results.add(w, engine, ms);
        }
    }

    /** The same settings for every engine: N threads that sleep when idle instead of spinning. */
    static Map<String, String> threadEnv(int threads) {
        Map<String, String> env = new LinkedHashMap<>();
        for (String k : List.of("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")) {
            env.put(k, String.valueOf(threads));
        }
        env.put("OMP_WAIT_POLICY", "PASSIVE");
        return env;
    }

    /** A JVM worker on this process's classpath, with the same heap and off-heap limits for every JVM engine. */
    private List<String> javaWorker(String mainClass, String... args) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx2g", "-Xss8m",
                "-Dorg.bytedeco.javacpp.maxPhysicalBytes=4g", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-cp",
                System.getProperty("java.class.path"), mainClass, String.valueOf(threads)));
        command.addAll(List.of(args));
        return command;
    }

    /**
     * The torchvision rows' models, built by the PyTorch worker (random weights, 10 classes) and exported to
     * {@code models/NAME.onnx}, which Dendrite imports and ONNX Runtime runs; a row whose model could not be made
     * (no PyTorch, no torchvision) is not run, and the table says why.
     */
    private static void exportTorchvision(EngineProcess torch, Path models, Results results, PrintWriter console)
            throws IOException {
        Map<String, String> failed = new LinkedHashMap<>();
        Set<String> exported = new HashSet<>();
        for (Workload w : Workload.ALL) {
            if (!w.torchvision()) {
                continue;
            }
            String name = w.torchvisionName();
            if (!failed.containsKey(name) && !exported.contains(name)) {
                if (torch == null) {
                    failed.put(name, "no PyTorch to export torchvision's " + name);
                } else {
                    Files.createDirectories(models);
                    JsonNode reply = torch.request(Map.of("export", name,
                            "path", models.resolve(name + ".onnx").toAbsolutePath().toString()));
                    if (reply.has("error")) {
                        failed.put(name, reply.get("error").asText());
                    } else {
                        exported.add(name);
                    }
                }
            }
            if (failed.containsKey(name)) {
                results.skip(w, failed.get(name));
            }
        }
        if (!failed.isEmpty()) {
            console.println("torchvision rows not run: " + String.join("; ", new LinkedHashSet<>(
                    failed.values())));
        }
    }

    private static final String DL4J_WORKER = "dev.dendrite.bench.dl4j.Dl4jWorker";

    private static boolean hasModel(EngineProcess dl4jWorker, Workload w) {
        for (JsonNode name : dl4jWorker.hello().path("workloads")) {
            if (name.asText().equals(w.name())) {
                return true;
            }
        }
        return false;
    }

    /** Whether the DL4J worker's module is on the classpath (the harness was built with -Pdl4j). */
    private static boolean dl4jBuilt() {
        try {
            Class.forName(DL4J_WORKER, false, CompareCommand.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    private EngineProcess startDl4j(Map<String, String> env, PrintWriter console) throws IOException {
        EngineProcess p = EngineProcess.start(javaWorker(DL4J_WORKER), env, out.resolve("worker-dl4j.log"));
        if (!p.hello().has("ready")) {
            p.close();
            throw new IOException("the DL4J worker did not start: " + p.hello().path("error").asText("no answer"));
        }
        console.println("DL4J: " + p.hello().path("dl4j").asText("?") + " on the same ND4J build, " + threads
                + " thread(s); rows: " + p.hello().path("workloads"));
        return p;
    }

    /** The PyTorch worker, or null (said on the console) when Python or torch is missing. */
    private EngineProcess startPyTorch(Map<String, String> env, PrintWriter console) throws IOException {
        if (!Files.isExecutable(Path.of(python))) {
            console.println("PyTorch: not available (" + python + " not found; install Debian's python3-torch): "
                    + "the pytorch column stays empty");
            return null;
        }
        Path script = out.resolve("torch_worker.py");
        try (InputStream s = CompareCommand.class.getResourceAsStream("torch_worker.py")) {
            Files.copy(s, script, StandardCopyOption.REPLACE_EXISTING);
        }
        EngineProcess p = EngineProcess.start(List.of(python, script.toString(), String.valueOf(threads)), env,
                out.resolve("worker-pytorch.log"));
        if (!p.hello().has("ready")) {
            console.println("PyTorch: not available (" + p.hello().path("error").asText("no answer")
                    + "): the pytorch column stays empty");
            p.close();
            return null;
        }
        console.println("PyTorch: " + p.hello().get("torch").asText() + ", " + p.hello().get("threads").asInt()
                + " thread(s), BLAS " + p.hello().path("blas").asText("?"));
        return p;
    }
}

package dev.dendrite.bench.compare;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The JVM side of {@code dendrite bench compare}, a process of its own so that it starts with exactly the
 * thread settings the harness gives every engine (OpenMP reads them at start-up). Reads one JSON request
 * per line, {@code {"engine": "dendrite"|"dendrite_eager"|"onnxruntime", "workload": NAME, "iters": N}}, and
 * answers
 * {@code {"ms": mean per iteration}} or {@code {"error": ...}}. A full GC runs before each measurement
 * (outside the timing): ND4J frees off-heap memory only when its handles are collected.
 */
public final class Worker {
    /** Builds one iteration of a workload for an engine; thrown exceptions become the reply's error. */
    @FunctionalInterface
    public interface StepFactory {
        Runnable of(String engine, Workload w);
    }

    private Worker() {}

    /** @param args threads, and the folder of the torchvision rows' exported models */
    public static void main(String[] args) throws IOException {
        int threads = Integer.parseInt(args[0]);
        Path models = args.length > 1 ? Path.of(args[1]) : null;
        serve(hello -> {}, (engine, w) -> switch (engine) {
            case "dendrite" -> Steps.dendrite(w, true, models);
            case "dendrite_eager" -> Steps.dendrite(w, false, models);
            case "onnxruntime" -> Steps.onnxRuntime(w, threads, models);
            default -> throw new IllegalArgumentException("unknown engine " + engine);
        });
    }

    /**
     * The protocol loop every JVM engine's worker runs: a first line {@code {"ready": true, ...}} (what
     * {@code hello} adds), then one reply per request until stdin closes. Each (engine, workload) step is built
     * once and kept.
     */
    public static void serve(Consumer<ObjectNode> hello, StepFactory steps) throws IOException {
        ObjectMapper json = new ObjectMapper();
        // Native libraries print to stdout: keep the protocol on a stream of its own.
        PrintStream protocol = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        System.setOut(System.err);
        ObjectNode ready = json.createObjectNode().put("ready", true);
        hello.accept(ready);
        protocol.println(json.writeValueAsString(ready));
        Map<String, Runnable> built = new HashMap<>();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line; (line = in.readLine()) != null; ) {
            ObjectNode reply = json.createObjectNode();
            try {
                JsonNode req = json.readTree(line);
                String engine = req.get("engine").asText();
                Workload w = Workload.named(req.get("workload").asText());
                int iters = req.get("iters").asInt();
                Runnable step = built.computeIfAbsent(engine + "/" + w.name(), k -> steps.of(engine, w));
                System.gc();
                long start = System.nanoTime();
                for (int i = 0; i < iters; i++) {
                    step.run();
                }
                reply.put("ms", (System.nanoTime() - start) / 1e6 / iters);
            } catch (RuntimeException e) {
                reply.put("error", e.toString());
            }
            protocol.println(json.writeValueAsString(reply));
        }
    }
}

package dev.dendrite.bench.compare;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A worker process (the JVM {@link Worker} or the PyTorch script) and its one-line JSON protocol. Lines
 * that are not a JSON object are skipped: native libraries print their banners to stdout.
 */
final class EngineProcess implements AutoCloseable {
    private final Process process;
    private final BufferedReader out;
    private final Writer in;
    private final ObjectMapper json = new ObjectMapper();
    private final JsonNode hello;

    private EngineProcess(Process process) throws IOException {
        this.process = process;
        this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        this.in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        this.hello = next();
    }

    /** Starts {@code command} with the thread settings in {@code env}; its stderr goes to {@code log}. */
    static EngineProcess start(List<String> command, Map<String, String> env, Path log) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().putAll(env);
        pb.redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
        return new EngineProcess(pb.start());
    }

    /** The worker's first line: {@code {"ready": true, ...}} or {@code {"error": ...}}. */
    JsonNode hello() {
        return hello;
    }

    /** Mean milliseconds per iteration of {@code iters} iterations; throws with the worker's error. */
    double measure(String engine, String workload, int iters) throws IOException {
        JsonNode reply = request(Map.of("engine", engine, "workload", workload, "iters", iters));
        if (reply.has("error")) {
            throw new IOException(reply.get("error").asText());
        }
        return reply.get("ms").asDouble();
    }

    /** Sends one request and returns the worker's reply (which may be {@code {"error": ...}}). */
    JsonNode request(Map<String, ?> request) throws IOException {
        in.write(json.writeValueAsString(request) + "\n");
        in.flush();
        return next();
    }

    private JsonNode next() throws IOException {
        for (String line; (line = out.readLine()) != null; ) {
            String t = line.strip();
            if (t.startsWith("{")) {
                try {
                    return json.readTree(t);
                } catch (IOException e) {
                    // a native banner that happens to start with '{': skip it
                }
            }
        }
        throw new IOException("the worker exited (code " + waitExit() + "); see its log");
    }

    private int waitExit() {
        try {
            return process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    @Override
    public void close() {
        try {
            in.close();
        } catch (IOException e) {
            // already gone
        }
        process.destroy();
    }
}

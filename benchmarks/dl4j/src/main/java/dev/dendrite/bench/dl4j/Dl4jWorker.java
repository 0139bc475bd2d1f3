package dev.dendrite.bench.dl4j;

import dev.dendrite.bench.compare.Worker;
import dev.dendrite.bench.compare.Workload;
import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * The DL4J side of {@code dendrite bench compare --dl4j}: a process of its own with the thread settings every
 * engine gets, speaking the JVM worker's protocol ({@link Worker#serve}) for the engines {@code dl4j} (as
 * shipped) and {@code dl4j_onednn} (its oneDNN helpers engaged). Its first line lists the workloads it has
 * models for.
 */
public final class Dl4jWorker {
    private Dl4jWorker() {}

    /** DL4J's version from its jar's Maven metadata (its manifest carries none). */
    static String version() {
        try (InputStream in = MultiLayerNetwork.class.getResourceAsStream(
                "/META-INF/maven/org.deeplearning4j/deeplearning4j-nn/pom.properties")) {
            Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            return p.getProperty("version", "unknown version");
        } catch (IOException e) {
            return "unknown version";
        }
    }

    public static void main(String[] args) throws IOException {
        Worker.serve(hello -> {
            hello.put("dl4j", version());
            Workload.ALL.stream().filter(Dl4jSteps::supports).forEach(w -> hello.withArray("workloads").add(w.name()));
        }, (engine, w) -> switch (engine) {
            case "dl4j" -> Dl4jSteps.of(w, false);
            case "dl4j_onednn" -> Dl4jSteps.of(w, true);
            default -> throw new IllegalArgumentException("unknown engine " + engine);
        });
    }
}

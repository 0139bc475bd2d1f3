package dev.dendrite.reference.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dendrite.reference.data.FashionMnist;
import dev.dendrite.reference.models.Study;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The three kernel reproductions end to end on the embedded Fashion-MNIST subset (10000 / 2000), one epoch
 * for the gradient-trained models: the claims' figures land in the reports, plots are written, and the
 * exported models validate in ONNX Runtime.
 */
class KernelStudiesTest {
    private static FashionMnist data;

    @TempDir
    Path out;

    @BeforeAll
    static void load() {
        data = FashionMnist.embedded();
    }

    private List<String> run(Study s) {
        PrintStream console = new PrintStream(new ByteArrayOutputStream());
        return s.run(new Study.Context(data, null, out, 42, 1, console));
    }

    private String report() throws IOException {
        return Files.readString(out.resolve("report.md"));
    }

    @Test
    void randomFourierFeaturesErrorFallsLikeOneOverRootD() throws IOException {
        List<String> summary = run(new RffStudy());
        Matcher m = Pattern.compile("slope (-?[0-9.]+) \\(Gaussian RFF\\), (-?[0-9.]+) \\(arc-cosine\\)")
                .matcher(String.join("\n", summary));
        assertTrue(m.find(), summary.toString());
        double rff = Double.parseDouble(m.group(1));
        double arc = Double.parseDouble(m.group(2));
        assertEquals(-0.5, rff, 0.05, "Gaussian RFF slope");
        assertEquals(-0.5, arc, 0.08, "arc-cosine slope");
        String report = report();
        assertTrue(report.contains("exact Gaussian kernel ridge regression (baseline)"), report);
        assertTrue(Files.size(out.resolve("rff.png")) > 10_000);
        // With 4096 features the ridge readout is within a few points of the exact kernel it approximates.
        Matcher acc = Pattern.compile("exact KRR ([0-9.]+), RFF D=4096 ([0-9.]+)").matcher(String.join("\n", summary));
        assertTrue(acc.find(), summary.toString());
        double krr = Double.parseDouble(acc.group(1));
        assertTrue(krr > 0.75, "exact KRR accuracy " + krr);
        assertEquals(krr, Double.parseDouble(acc.group(2)), 0.03);
    }

    @Test
    void elmFitsInClosedFormAndIsComparedWithBackprop() throws IOException {
        List<String> summary = run(new ElmStudy());
        String report = report();
        Matcher m = Pattern.compile("\\| ELM [^|]*\\| ([0-9.]+) \\| ([0-9.]+) ").matcher(report);
        assertTrue(m.find(), report);
        assertTrue(Double.parseDouble(m.group(1)) > 0.78, "ELM accuracy on the subset: " + m.group(1));
        assertTrue(report.contains("| backprop (Adam lr 1e-3, batch 128, 1 epochs) |"), report);
        assertTrue(report.contains("`elm.onnx`, Dendrite vs ONNX Runtime: ") && report.contains("(ok)"), report);
        assertTrue(Files.exists(out.resolve("elm.png")) && Files.exists(out.resolve("backprop/model.onnx")));
        assertTrue(summary.get(summary.size() - 1).startsWith("ELM speed-up: "), summary.toString());
    }

    @Test
    void rbfNetworkStartsFromKMeansAndTrainsEndToEnd() throws IOException {
        List<String> summary = run(new RbfNetStudy());
        String report = report();
        Matcher m = Pattern.compile("\\| RBF network[^\\n]*\\| ([0-9.]+) \\| ([0-9.]+) ").matcher(report);
        assertTrue(m.find(), report);
        assertTrue(Double.parseDouble(m.group(1)) > 0.78, "RBF net accuracy after 1 epoch: " + m.group(1));
        assertTrue(report.contains("Stage 1, k-means: inertia"), report);
        assertTrue(Files.readString(out.resolve("rbf/report.md")).contains("(ok)"), "the RBF net's ONNX validates");
        assertEquals(3, summary.size());
    }
}

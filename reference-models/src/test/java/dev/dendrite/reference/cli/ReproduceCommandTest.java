package dev.dendrite.reference.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The README's main job, {@code dendrite reproduce lenet5} (and {@code mlp}), succeeding end to end as a user runs
 * it, on the embedded subset for one epoch: exit 0, the paper's figure beside ours, every file written, the ONNX
 * export faithful to the trained model. The accuracy bound is what one epoch on 10,000 images reaches, with margin
 * (measured: lenet5 0.7485, mlp 0.8125 on the 2,000 test images; chance is 0.1).
 */
class ReproduceCommandTest {
    static final Path SUBSET = Path.of("src/main/resources/datasets/fashion-mnist-subset");

    @TempDir
    Path out;

    @ParameterizedTest
    @CsvSource({"lenet5, 0.70", "mlp, 0.76"})
    void reproducesOneEpochOnTheEmbeddedSubset(String model, double atLeast) throws IOException {
        PrintStream previous = System.out;
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        Cli r;
        try {
            System.setOut(new PrintStream(console, true, StandardCharsets.UTF_8));
            r = Cli.run("reproduce", model, "--epochs", "1", "--data", SUBSET.toString(), "--out", out.toString());
        } finally {
            System.setOut(previous);
        }
        String text = console.toString(StandardCharsets.UTF_8);
        assertEquals(0, r.code(), r.err() + text);
        assertTrue(text.contains("data: "), text);
        assertTrue(Pattern.compile("(?m)^paper ").matcher(text).find(), text);
        Matcher ours = Pattern.compile("(?m)^Dendrite +([0-9.]+) +\\(epoch 1, ").matcher(text);
        assertTrue(ours.find(), text);
        double accuracy = Double.parseDouble(ours.group(1));
        assertTrue(accuracy >= atLeast && accuracy <= 1, model + ": test accuracy " + accuracy);

        Path dir = out.resolve(model);
        List<String> csv = Files.readAllLines(dir.resolve("metrics.csv"));
        assertEquals(2, csv.size(), csv.toString());
        assertEquals(accuracy, Double.parseDouble(csv.get(1).split(",")[3]), 5e-5, "metrics.csv's test_accuracy");
        for (String f : List.of("checkpoint.zip", "model.onnx", "curve.png", "report.md")) {
            assertTrue(Files.size(dir.resolve(f)) > 1000, f);
        }
        String report = Files.readString(dir.resolve("report.md"));
        assertTrue(report.contains("(ok)") && !report.contains("ABOVE"), report);
    }
}

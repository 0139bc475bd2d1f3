package dev.dendrite.reference.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dendrite.gan.GanCheckpoint;
import dev.dendrite.gan.GanMetricsCsv;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code dendrite train GAN.json}: a spec with a generator and a discriminator trains as a GAN, and resumes. */
class GanTrainCommandTest {
    private static final String SPEC = """
            {"generator": {"type": "sequential", "config": {"layers": [
               {"type": "dense", "name": "fc", "config": {"in": 8, "out": 784}},
               {"type": "tanh"},
               {"type": "reshape", "config": {"shape": [0, 1, 28, 28]}}]}},
             "discriminator": {"type": "sequential", "config": {"layers": [
               {"type": "flatten"},
               {"type": "dense", "name": "fc1", "config": {"in": 784, "out": 16}},
               {"type": "leaky_relu", "config": {"alpha": 0.2}},
               {"type": "dense", "name": "fc2", "config": {"in": 16, "out": 1}}]}},
             "noise": [8], "loss": {"type": "least_squares"}, "discriminatorSteps": 2,
             "generatorOptimizer": {"type": "adam", "config": {"lr": 0.001}},
             "discriminatorOptimizer": {"type": "sgd", "config": {"lr": 0.01}},
             "epochs": 1, "batchSize": 16, "seed": 3}""";

    @TempDir
    Path dir;

    @Test
    void trainsWritesItsFilesAndResumes() throws IOException {
        Path data = CommandLineTest.tinyFashionMnist(dir.resolve("data"));
        Path spec = Files.writeString(dir.resolve("tiny-gan.json"), SPEC);
        Path out = dir.resolve("runs");
        Cli first = Cli.run("train", spec.toString(), "--data", data.toString(), "--out", out.toString());
        assertEquals(0, first.code(), first.err());
        Path run = out.resolve("tiny-gan");
        for (String f : List.of("metrics.csv", "checkpoint.zip", "samples/epoch-001.png", "samples.png",
                "generator.onnx", "discriminator.onnx", "report.md", "curve.png")) {
            assertTrue(Files.size(run.resolve(f)) > 0, f);
        }
        String report = Files.readString(run.resolve("report.md"));
        assertTrue(report.contains("- `generator.onnx`: output_0 [2, 1, 28, 28]: max abs diff"), report);
        assertTrue(report.contains("- `discriminator.onnx`: output_0 [2, 1]: max abs diff"), report);
        assertEquals(2, report.lines().filter(l -> l.endsWith("(ok)")).count(), report);
        GanCheckpoint ck = GanCheckpoint.read(run.resolve("checkpoint.zip"));
        assertEquals(4, ck.state().discriminatorSteps(), "64 images in batches of 16");
        assertEquals(2, ck.state().generatorSteps(), "one generator step per two discriminator steps");

        String epoch1 = Files.readAllLines(run.resolve("metrics.csv")).get(1);
        Cli resumed = Cli.run("train", spec.toString(), "--data", data.toString(), "--out", out.toString(),
                "--epochs", "2", "--resume", run.resolve("checkpoint.zip").toString());
        assertEquals(0, resumed.code(), resumed.err());
        List<String> csv = Files.readAllLines(run.resolve("metrics.csv"));
        assertEquals(List.of(GanMetricsCsv.HEADER, epoch1), csv.subList(0, 2), "epoch 1 kept from the checkpoint");
        assertEquals(3, csv.size(), csv.toString());
        assertEquals(2, GanCheckpoint.read(run.resolve("checkpoint.zip")).state().epoch());
    }

    /** The README's GAN spec, as printed there, parses and builds. */
    @Test
    void theReadmeGanSpecIsValid() throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"));
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("```json\n(\\{\"generator\".*?)```",
                java.util.regex.Pattern.DOTALL).matcher(readme);
        assertTrue(m.find(), "README has a GAN spec");
        dev.dendrite.gan.GanSpec spec = dev.dendrite.spi.Json.read(m.group(1), dev.dendrite.gan.GanSpec.class);
        assertEquals("least_squares", spec.loss().type());
        assertEquals(0.9, spec.realTarget(), 1e-12);
        Path file = Files.writeString(dir.resolve("readme-gan.json"), m.group(1));
        Path data = CommandLineTest.tinyFashionMnist(dir.resolve("data"));
        Cli r = Cli.run("train", file.toString(), "--data", data.toString(), "--out", dir.toString(), "--epochs", "1");
        assertEquals(0, r.code(), r.err());
    }

    @Test
    void aBadGanSpecNamesTheFileAndTheField() throws IOException {
        Path spec = Files.writeString(dir.resolve("bad.json"), "{\"generator\": {\"type\": \"dense\"}, \"epochs\": 1}");
        Cli r = Cli.run("train", spec.toString());
        assertEquals(1, r.code());
        assertEquals("dendrite: error: " + spec + ": a GAN spec needs \"discriminator\", \"noise\", "
                + "\"generatorOptimizer\", \"discriminatorOptimizer\", \"batchSize\"", r.err().strip());
    }
}

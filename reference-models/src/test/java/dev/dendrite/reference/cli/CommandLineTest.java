package dev.dendrite.reference.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line as a script sees it: exit codes, one-line errors, the files a run writes. */
class CommandLineTest {
    @TempDir
    Path dir;

    private static Cli run(String... args) {
        return Cli.run(args);
    }

    @Test
    void pluginsListsEveryKindWithItsJar() {
        Cli r = run("plugins");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().lines().anyMatch(l -> l.matches("layer\\s+dense\\s+.*(plugin-basic|basic/target/classes).*")),
                r.out());
        for (String kind : List.of("loss", "optimizer", "lr_schedule", "trainer")) {
            assertTrue(r.out().contains("\n" + kind + " "), kind + " in\n" + r.out());
        }
        for (String gan : List.of("minimax", "non_saturating", "least_squares", "hinge")) {
            assertTrue(r.out().lines().anyMatch(l -> l.matches("GAN_loss\\s+" + gan + "\\s+.*gan.*")), gan + " in\n"
                    + r.out());
        }
    }

    @Test
    void anUnknownModelIsOneLineAndExitOne() {
        Cli r = run("reproduce", "resnet9000");
        assertEquals(1, r.code());
        assertEquals("dendrite: error: unknown model 'resnet9000'; known models: lenet5, mlp, vit-fashion, rff, elm, "
                + "rbf-net, dcgan, deep-autoencoder, vae, char-lstm, seq2seq-gru", r.err().strip());
    }

    @Test
    void aMissingDataDirIsOneLine() {
        Cli r = run("reproduce", "mlp", "--data", dir.resolve("nowhere").toString(), "--out", dir.toString());
        assertEquals(1, r.code());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().startsWith("dendrite: error: ") && r.err().contains("nowhere"), r.err());
    }

    @Test
    void aMissingSpecFileIsOneLine() {
        Cli r = run("train", dir.resolve("missing.json").toString());
        assertEquals(1, r.code());
        assertEquals("dendrite: error: " + dir.resolve("missing.json") + ": no such spec file", r.err().strip());
    }

    @Test
    void aBadSpecNamesTheFileAndTheProblem() throws IOException {
        Path spec = dir.resolve("bad.json");
        Files.writeString(spec, "{\"model\": {\"type\": \"dense\"}, \"loss\": {\"type\": \"mse\"}}");
        Cli r = run("train", spec.toString());
        assertEquals(1, r.code());
        assertTrue(r.err().startsWith("dendrite: error: " + spec + ": "), r.err());
        assertTrue(r.err().contains("\"optimizer\""), r.err());
        assertEquals(1, r.err().strip().lines().count(), "no stack trace without --verbose: " + r.err());
        Cli verbose = run("train", spec.toString(), "--verbose");
        assertTrue(verbose.err().lines().count() > 1, "--verbose adds the trace");
    }

    @Test
    void trainWritesItsFilesAndResumeContinues() throws IOException {
        Path data = tinyFashionMnist(dir.resolve("data"));
        Path spec = dir.resolve("tiny.json");
        Files.writeString(spec, """
                {"model": {"type": "sequential", "config": {"layers": [
                   {"type": "dense", "config": {"in": 784, "out": 16}}, {"type": "relu"},
                   {"type": "dense", "config": {"in": 16, "out": 10}}]}},
                 "loss": {"type": "cross_entropy"}, "optimizer": {"type": "sgd", "config": {"lr": 0.05}},
                 "epochs": 1, "batchSize": 16, "seed": 3, "data": "fashion-mnist"}""");
        Path out = dir.resolve("runs");
        Cli first = run("train", spec.toString(), "--data", data.toString(), "--out", out.toString());
        assertEquals(0, first.code(), first.err());
        Path runDir = out.resolve("tiny");
        for (String f : List.of("metrics.csv", "curve.png", "checkpoint.zip", "model.onnx", "report.md")) {
            assertTrue(Files.size(runDir.resolve(f)) > 0, f);
        }
        String report = Files.readString(runDir.resolve("report.md"));
        assertTrue(report.contains("- ONNX: `model.onnx` (opset 17)") && report.contains("(ok)"), report);
        Cli resumed = run("train", spec.toString(), "--data", data.toString(), "--out", out.toString(),
                "--resume", runDir.resolve("checkpoint.zip").toString(), "--epochs", "2");
        assertEquals(0, resumed.code(), resumed.err());
        List<String> rows = Files.readAllLines(runDir.resolve("metrics.csv"));
        assertEquals(3, rows.size(), "header + epoch 1 (from the checkpoint) + epoch 2: " + rows);
        assertTrue(rows.get(2).startsWith("2,"), rows.toString());
        assertTrue(Files.readString(runDir.resolve("report.md")).contains("| 2 |"));

        // The checkpoint exports at either opset, and the file validates against ONNX Runtime.
        for (String opset : List.of("13", "17")) {
            Path onnx = dir.resolve("tiny-" + opset + ".onnx");
            Cli export = run("export", runDir.resolve("checkpoint.zip").toString(), "-o", onnx.toString(),
                    "--opset", opset);
            assertEquals(0, export.code(), export.err());
            Cli validate = run("validate", onnx.toString());
            assertEquals(0, validate.code(), validate.err() + validate.out());
            assertTrue(validate.out().startsWith("output_0 [2, 10]: max abs diff"), validate.out());
            assertEquals("ok: Dendrite and ONNX Runtime agree", validate.lastLine());
        }
        Cli badOpset = run("export", runDir.resolve("checkpoint.zip").toString(), "-o", dir.resolve("x.onnx").toString(),
                "--opset", "9");
        assertEquals(1, badOpset.code());
        assertTrue(badOpset.err().contains("opset 9"), badOpset.err());
        // An ONNX file is a layer like any other: fine-tune the exported model with `train`.
        Path tune = dir.resolve("tune.json");
        Files.writeString(tune, """
                {"model": {"type": "onnx", "config": {"file": "%s"}},
                 "loss": {"type": "cross_entropy"}, "optimizer": {"type": "sgd", "config": {"lr": 0.05}},
                 "epochs": 1, "batchSize": 16, "seed": 3, "data": "fashion-mnist"}""".formatted(
                dir.resolve("tiny-17.onnx").toString().replace("\\", "/")));
        Cli tuned = run("train", tune.toString(), "--data", data.toString(), "--out", out.toString());
        assertEquals(0, tuned.code(), tuned.err());
        assertTrue(Files.size(out.resolve("tune/checkpoint.zip")) > 0);
        assertTrue(Files.readString(out.resolve("tune/report.md")).contains("(ok)"));

        Cli notOnnx = run("validate", runDir.resolve("metrics.csv").toString());
        assertEquals(1, notOnnx.code());
        assertTrue(notOnnx.err().startsWith("dendrite: error: ") && notOnnx.err().contains("metrics.csv"), notOnnx.err());
    }

    /** 64 train and 32 test images of random pixels in the IDX layout, plain (not gzip'd). */
    static Path tinyFashionMnist(Path d) throws IOException {
        Files.createDirectories(d);
        java.util.Random r = new java.util.Random(1);
        for (String split : List.of("train", "t10k")) {
            int n = split.equals("train") ? 64 : 32;
            byte[] pixels = new byte[n * 784];
            r.nextBytes(pixels);
            byte[] labels = new byte[n];
            for (int i = 0; i < n; i++) {
                labels[i] = (byte) (i % 10);
            }
            Files.write(d.resolve(split + "-images-idx3-ubyte"), idx(0x803, new int[] {n, 28, 28}, pixels));
            Files.write(d.resolve(split + "-labels-idx1-ubyte"), idx(0x801, new int[] {n}, labels));
        }
        return d;
    }

    private static byte[] idx(int magic, int[] dims, byte[] payload) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(magic);
        for (int d : dims) {
            out.writeInt(d);
        }
        out.write(payload);
        return bytes.toByteArray();
    }
}

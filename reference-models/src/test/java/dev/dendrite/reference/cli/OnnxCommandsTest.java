package dev.dendrite.reference.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dendrite.onnxbridge.NodeTestRunner;
import dev.dendrite.onnxbridge.OnnxFiles;
import dev.dendrite.onnxbridge.TensorProtos;
import dev.dendrite.testkit.Compare;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The ONNX command-line contract with every plugin on the classpath: the ONNX project's node tests through
 * {@code onnx-test}, and PyTorch's fixtures (outputs and gradients) through {@code onnx-run} and {@code onnx-grad}.
 */
class OnnxCommandsTest {
    /** Vendored in onnx-bridge (see its src/test/conformance/NOTICE); run here, where all converters are. */
    static final Path NODE_TESTS = Path.of("../onnx-bridge/src/test/conformance/onnx-node");
    /** Made by onnx-bridge/src/test/python/make_fixtures.py with PyTorch. */
    static final Path FIXTURES = Path.of("../onnx-bridge/src/test/resources/fixtures");

    @TempDir
    Path dir;

    @Test
    void everyVendoredNodeTestPasses() {
        int count = NodeTestRunner.discover(List.of(NODE_TESTS)).size();
        assertTrue(count >= 438, "vendored node tests: " + count);
        Cli r = Cli.run("onnx-test", NODE_TESTS.toString());
        assertEquals(count + " passed, 0 failed", r.lastLine(), r.out());
        assertEquals(0, r.code());
    }

    /** ONNX's own runner uses atol 1e-7; the contract's 1e-5 is looser. Say which tests need the looser bound. */
    @Test
    void reportsTestsThatPassOnlyAboveOnnxsStrictTolerance() {
        NodeTestRunner tests = new NodeTestRunner(new dev.dendrite.onnxbridge.OnnxImporter());
        List<String> loose = new ArrayList<>();
        for (Path p : NodeTestRunner.discover(List.of(NODE_TESTS))) {
            NodeTestRunner.Outcome o = tests.run(p);
            assertTrue(o.passed(), o.name() + ": " + o.reason());
            if (o.loose()) {
                loose.add(o.name());
            }
        }
        System.out.println("node tests passing only with atol 1e-5 (not ONNX's 1e-7): " + loose.size() + " " + loose);
        assertEquals(List.of(), loose, "every vendored node test passes at ONNX's own tolerance too");
    }

    @Test
    void aFailingTestIsOneLineAndExitsNonZero() throws IOException {
        // A real node test whose expected output we corrupt, plus one with an op nobody supports.
        Path abs = dir.resolve("suite/test_abs_corrupted");
        copy(NODE_TESTS.resolve("test_abs"), abs);
        Path out = abs.resolve("test_data_set_0/output_0.pb");
        INDArray expected = TensorProtos.read(OnnxFiles.readTensor(out));
        OnnxFiles.write(TensorProtos.write("y", expected.add(1)), out);
        Path unknown = dir.resolve("suite/test_unknown_op");
        copy(NODE_TESTS.resolve("test_abs"), unknown);
        byte[] model = Files.readAllBytes(unknown.resolve("model.onnx"));
        Files.write(unknown.resolve("model.onnx"), OnnxFiles.readModel(model, "test").toBuilder()
                .setGraph(OnnxFiles.readModel(model, "test").getGraph().toBuilder()
                        .setNode(0, OnnxFiles.readModel(model, "test").getGraph().getNode(0).toBuilder()
                                .setOpType("Absolutely")))
                .build().toByteArray());
        Cli r = Cli.run("onnx-test", dir.resolve("suite").toString());
        assertEquals(1, r.code());
        String[] lines = r.out().strip().split("\n");
        assertEquals(3, lines.length, r.out());
        assertTrue(lines[0].startsWith("FAIL test_abs_corrupted: test_data_set_0 output 0: element "), lines[0]);
        assertTrue(lines[1].startsWith("FAIL test_unknown_op: ") && lines[1].contains("Absolutely"), lines[1]);
        assertEquals("0 passed, 2 failed", lines[2]);
    }

    @Test
    void pytorchFixturesMatchOutputsAndGradients() throws IOException {
        List<Path> fixtures;
        try (Stream<Path> s = Files.list(FIXTURES)) {
            fixtures = s.filter(p -> Files.isRegularFile(p.resolve("model.onnx"))).sorted().toList();
        }
        assertTrue(fixtures.size() >= 10, "fixtures: " + fixtures);
        // Issue 9: PyTorch RBF / random-feature exports (broadcast, cdist + Reciprocal, norm = ReduceL2 with a
        // zero distance, cos) must be among them.
        List<String> names = fixtures.stream().map(p -> p.getFileName().toString()).toList();
        assertTrue(names.containsAll(List.of("rbf_broadcast", "rbf_cdist", "rbf_norm", "rff_cos")),
                "fixtures: " + names);
        List<String> report = new ArrayList<>();
        for (Path f : fixtures) {
            String name = f.getFileName().toString();
            Path out = dir.resolve(name);
            Cli run = Cli.run("onnx-run", f.resolve("model.onnx").toString(), "--input", f.resolve("input_0.pb")
                    .toString(), "--out", out.resolve("run").toString());
            assertEquals(0, run.code(), name + ": " + run.err());
            double outDiff = Compare.maxAbsDiff(name + " output", read(out.resolve("run/output_0.pb")),
                    read(f.resolve("output_0.pb")));
            assertTrue(outDiff <= 1e-4, name + ": output differs from PyTorch by " + outDiff);

            String loss = Files.readString(f.resolve("loss.txt")).strip();
            Cli grad = Cli.run("onnx-grad", f.resolve("model.onnx").toString(), "--input",
                    f.resolve("input_0.pb").toString(), "--target", f.resolve("target.pb").toString(), "--loss", loss,
                    "--out", out.resolve("grad").toString());
            assertEquals(0, grad.code(), name + ": " + grad.err());
            double lossDiff = relDiff(name + " loss", out.resolve("grad/loss.pb"), f.resolve("loss.pb"));
            assertTrue(lossDiff <= 1e-4, name + ": loss differs from PyTorch's by " + lossDiff + " (relative)");
            double worst = 0;
            List<Path> expectedGrads;
            try (Stream<Path> s = Files.list(f)) {
                expectedGrads = s.filter(p -> p.getFileName().toString().startsWith("grad_")).sorted().toList();
            }
            assertTrue(expectedGrads.size() >= 2, name + ": no gradients in the fixture");
            // Every gradient onnx-grad writes (each float initializer and the input) is one PyTorch's fixture has.
            try (Stream<Path> s = Files.list(out.resolve("grad"))) {
                assertEquals(expectedGrads.stream().map(p -> p.getFileName().toString()).sorted().toList(),
                        s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("grad_")).sorted().toList(),
                        name + ": gradients written vs in the fixture");
            }
            assertTrue(expectedGrads.stream().anyMatch(p -> p.getFileName().toString().equals("grad_input_0.pb")),
                    name + ": no input gradient in the fixture");
            for (Path g : expectedGrads) {
                Path ours = out.resolve("grad").resolve(g.getFileName());
                assertTrue(Files.exists(ours), name + ": onnx-grad wrote no " + g.getFileName());
                double d = relDiff(name + " " + g.getFileName(), ours, g);
                assertTrue(d <= 1e-4, name + ": " + g.getFileName() + " differs from PyTorch by " + d + " (relative)");
                worst = Math.max(worst, d);
            }
            report.add(String.format("%s: output max abs diff %.2e, loss relative diff %.2e, worst gradient relative "
                    + "diff %.2e (%d gradients)", name, outDiff, lossDiff, worst, expectedGrads.size()));
        }
        report.forEach(System.out::println);
    }

    private static INDArray read(Path p) {
        return TensorProtos.read(OnnxFiles.readTensor(p)).castTo(DataType.DOUBLE);
    }

    /** {@link Compare#relDiff} of two tensor files: gradients are compared at the scale of the tensor. */
    private static double relDiff(String what, Path actual, Path expected) {
        return Compare.relDiff(what, read(actual), read(expected));
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t);
                }
            }
        }
    }
}

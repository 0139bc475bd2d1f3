package dev.dendrite.reference.cli;

import dev.dendrite.onnxbridge.NodeTestRunner;
import dev.dendrite.onnxbridge.OnnxImporter;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code dendrite onnx-test DIR...}: runs ONNX backend node tests through the importer. Scripts rely on the
 * output: one line per failing test, then {@code N passed, N failed} as the last line; exit 0 only when
 * nothing failed. An unsupported op is a failure, never a skip.
 */
@Command(name = "onnx-test", mixinStandardHelpOptions = true,
        description = "Run ONNX node tests (folders with model.onnx and test_data_set_*/) through the importer.")
final class OnnxTestCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "DIR", description = "Test folders, or folders containing them.")
    List<Path> dirs;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        NodeTestRunner tests = new NodeTestRunner(new OnnxImporter());
        int passed = 0;
        int failed = 0;
        for (Path dir : NodeTestRunner.discover(dirs)) {
            NodeTestRunner.Outcome o = tests.run(dir);
            if (o.passed()) {
                passed++;
            } else {
                failed++;
                out.println("FAIL " + o.name() + ": " + o.reason());
            }
            out.flush();
        }
        out.println(passed + " passed, " + failed + " failed");
        return failed == 0 ? 0 : 1;
    }
}

package dev.dendrite.reference.cli;

import dev.dendrite.onnxbridge.OnnxFiles;
import dev.dendrite.onnxbridge.Validation;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code dendrite validate MODEL.onnx}: Dendrite and ONNX Runtime on the same random inputs; one line per output
 * with the max abs and relative difference; exit 1 when any output differs by more than the tolerance.
 */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = "Run an ONNX model in Dendrite and in ONNX Runtime on random inputs and compare the outputs.")
final class ValidateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL.onnx", description = "The model to check.")
    Path model;

    @Option(names = "--seed", paramLabel = "S", description = "Seed of the random inputs (default: ${DEFAULT-VALUE}).",
            defaultValue = "1")
    long seed;

    @Override
    public Integer call() {
        List<Validation.OutputDiff> diffs = Validation.run(OnnxFiles.readModel(model),
                model.toAbsolutePath().getParent(), seed);
        PrintWriter out = spec.commandLine().getOut();
        boolean ok = true;
        for (Validation.OutputDiff d : diffs) {
            out.printf("%s %s: max abs diff %.3g, relative %.3g%s%n", d.name(), java.util.Arrays.toString(d.shape()),
                    d.maxAbsDiff(), d.relDiff(), d.ok() ? "" : "  ABOVE TOLERANCE " + Validation.TOLERANCE);
            ok &= d.ok();
        }
        out.println(ok ? "ok: Dendrite and ONNX Runtime agree" : "FAILED: outputs differ beyond " + Validation.TOLERANCE);
        return ok ? 0 : 1;
    }
}

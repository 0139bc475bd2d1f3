package dev.dendrite.reference.cli;

import dev.dendrite.onnxbridge.OnnxExporter;
import dev.dendrite.onnxbridge.OnnxFiles;
import dev.dendrite.onnxbridge.proto.ModelProto;
import dev.dendrite.reference.run.OnnxExport;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code dendrite export CHECKPOINT.zip -o MODEL.onnx [--opset N]}. */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Export a checkpoint's model as ONNX (batch dimension symbolic).")
final class ExportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "CHECKPOINT.zip", description = "A checkpoint written by train/reproduce.")
    Path checkpoint;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "MODEL.onnx", description = "The file to write.")
    Path output;

    @Option(names = "--opset", paramLabel = "N", description = "ai.onnx opset to write, "
            + OnnxExporter.MIN_OPSET + ".." + OnnxExporter.MAX_OPSET + " (default: ${DEFAULT-VALUE}).",
            defaultValue = "" + OnnxExporter.DEFAULT_OPSET)
    int opset;

    @Override
    public Integer call() {
        ModelProto m = OnnxExport.fromCheckpoint(checkpoint, opset);
        OnnxFiles.write(m, output);
        spec.commandLine().getOut().printf("wrote %s (opset %d, %d nodes, %d initializers)%n", output, opset,
                m.getGraph().getNodeCount(), m.getGraph().getInitializerCount());
        return 0;
    }
}

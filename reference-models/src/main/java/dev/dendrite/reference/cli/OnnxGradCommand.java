package dev.dendrite.reference.cli;

import dev.dendrite.onnxbridge.GradientRun;
import dev.dendrite.onnxbridge.ImportedModel;
import dev.dendrite.onnxbridge.OnnxFiles;
import dev.dendrite.onnxbridge.OnnxImporter;
import dev.dendrite.onnxbridge.TensorProtos;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code dendrite onnx-grad MODEL --input FILE.pb --target FILE.pb --loss mse|bce|cross_entropy --out DIR}:
 * one forward and backward of the imported model; writes {@code loss.pb}, {@code grad_<initializer>.pb} for
 * every float initializer and {@code grad_input_0.pb}.
 */
@Command(name = "onnx-grad", mixinStandardHelpOptions = true,
        description = "Import an ONNX model, apply a loss to its first output and write the gradients.")
final class OnnxGradCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL", description = "The .onnx file.")
    Path model;

    @Option(names = "--input", required = true, paramLabel = "FILE.pb",
            description = "A TensorProto per graph input, in order.")
    List<Path> inputs;

    @Option(names = "--target", required = true, paramLabel = "FILE.pb", description = "The loss target.")
    Path target;

    @Option(names = "--loss", required = true, paramLabel = "mse|bce|cross_entropy",
            description = "mse: mean squared error; bce: mean binary cross-entropy of a probability output; "
                    + "cross_entropy: mean of -log_softmax(logits)[target] over the batch (int64 targets).")
    String loss;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where the .pb files are written.")
    Path out;

    @Override
    public Integer call() {
        GradientRun.LossKind kind = GradientRun.LossKind.parse(loss);
        ImportedModel m = new OnnxImporter().load(model);
        INDArray[] xs = inputs.stream().map(p -> TensorProtos.read(OnnxFiles.readTensor(p))).toArray(INDArray[]::new);
        INDArray t = TensorProtos.read(OnnxFiles.readTensor(target));
        GradientRun.Result r = GradientRun.run(m, kind, t, xs);
        OnnxFiles.write(TensorProtos.write("loss", Nd4j.scalar(DataType.FLOAT, r.loss())), out.resolve("loss.pb"));
        r.weightGrads().forEach((name, g) -> OnnxFiles.write(TensorProtos.write(name, g), out.resolve(fileName(name))));
        if (r.inputGrad() != null) {
            OnnxFiles.write(TensorProtos.write("input_0", r.inputGrad()), out.resolve("grad_input_0.pb"));
        }
        spec.commandLine().getOut().printf("loss %.8g; wrote %d gradient(s) to %s%n", r.loss(),
                r.weightGrads().size() + (r.inputGrad() == null ? 0 : 1), out);
        return 0;
    }

    /** {@code grad_<name>.pb}; path separators and ':' (PyTorch's {@code onnx::} names) become '_'. */
    static String fileName(String initializer) {
        return "grad_" + initializer.replaceAll("[/\\\\:]", "_") + ".pb";
    }
}

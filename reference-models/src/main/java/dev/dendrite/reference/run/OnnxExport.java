package dev.dendrite.reference.run;

import dev.dendrite.nn.Init;
import dev.dendrite.nn.Layer;
import dev.dendrite.onnxbridge.OnnxExporter;
import dev.dendrite.onnxbridge.OnnxFiles;
import dev.dendrite.onnxbridge.Validation;
import dev.dendrite.onnxbridge.proto.ModelProto;
import dev.dendrite.random.Rng;
import dev.dendrite.tensor.Tensor;
import dev.dendrite.train.Checkpoint;
import dev.dendrite.train.TrainingSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.nd4j.linalg.api.buffer.DataType;

/** A trained model as {@code model.onnx}, and its agreement with ONNX Runtime, for the CLI and reports. */
public final class OnnxExport {
    private OnnxExport() {}

    /** Rebuilds the checkpoint's model (spec + parameters) and exports it. */
    public static ModelProto fromCheckpoint(Path checkpoint, int opset) {
        Checkpoint ck = Checkpoint.read(checkpoint);
        return export(TrainedModels.load(ck, checkpoint), ck.spec(), opset);
    }

    /** Exports with a random example batch of the spec's data shape (two examples; the batch stays symbolic). */
    public static ModelProto export(Layer model, TrainingSpec spec, int opset) {
        long[] features = Datasets.featureShape(spec.data());
        long[] shape = new long[features.length + 1];
        shape[0] = 2;
        System.arraycopy(features, 0, shape, 1, features.length);
        Tensor example = Tensor.of(Init.normal(new Rng(spec.seed()), DataType.FLOAT, 0, 1, shape));
        return OnnxExporter.export(model, opset, example);
    }

    /** Writes {@code file}, validates it in ONNX Runtime and returns one line per output describing the agreement. */
    public static List<Validation.OutputDiff> writeAndValidate(ModelProto proto, Path file) {
        OnnxFiles.write(proto, file);
        return Validation.run(proto, file.toAbsolutePath().getParent(), 1);
    }

    public static String describe(List<Validation.OutputDiff> diffs) {
        return diffs.stream().map(d -> String.format(Locale.ROOT, "%s %s: max abs diff %.3g, relative %.3g (%s)",
                d.name(), java.util.Arrays.toString(d.shape()), d.maxAbsDiff(), d.relDiff(),
                d.ok() ? "ok" : "ABOVE " + Validation.TOLERANCE)).collect(Collectors.joining("; "));
    }
}

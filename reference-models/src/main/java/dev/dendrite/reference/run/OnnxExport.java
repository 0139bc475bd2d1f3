package dev.dendrite.reference.run;

import dev.dendrite.nn.Init;
import dev.dendrite.nn.Layer;
import dev.dendrite.onnxbridge.OnnxExporter;
import dev.dendrite.onnxbridge.OnnxFiles;
import dev.dendrite.onnxbridge.Validation;
import dev.dendrite.onnxbridge.proto.ModelProto;
import dev.dendrite.random.Rng;
import dev.dendrite.tensor.DendriteException;
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
        return OnnxExporter.export(model, opset, example(spec));
    }

    /** Two random examples of the spec's data shape, to trace an export on. */
    public static Tensor example(TrainingSpec spec) {
        long[] features = Datasets.featureShape(spec.data());
        long[] shape = new long[features.length + 1];
        shape[0] = 2;
        System.arraycopy(features, 0, shape, 1, features.length);
        return Tensor.of(Init.normal(new Rng(spec.seed()), DataType.FLOAT, 0, 1, shape));
    }

    /**
     * Writes {@code file} (the export of {@code model}) and compares {@code model}'s own outputs with ONNX Runtime's
     * on the file: the agreement per output.
     */
    public static List<Validation.OutputDiff> writeAndValidate(Layer model, ModelProto proto, Path file) {
        OnnxFiles.write(proto, file);
        return Validation.run(model, proto, file.toAbsolutePath().getParent(), 1);
    }

    /**
     * Exports {@code model} traced on {@code example} (opset 17) to {@code file} and validates it in ONNX Runtime:
     * the agreement line for a report, or "export failed: ..." (a study's figures stand without its ONNX file).
     */
    public static String writeValidated(Layer model, Tensor example, Path file) {
        try {
            return describe(writeAndValidate(model, OnnxExporter.export(model, OnnxExporter.DEFAULT_OPSET, example),
                    file));
        } catch (DendriteException e) {
            return "export failed: " + e.getMessage();
        }
    }

    public static String describe(List<Validation.OutputDiff> diffs) {
        return diffs.stream().map(d -> String.format(Locale.ROOT, "%s %s: max abs diff %.3g, relative %.3g (%s)",
                d.name(), java.util.Arrays.toString(d.shape()), d.maxAbsDiff(), d.relDiff(),
                d.ok() ? "ok" : "ABOVE " + Validation.TOLERANCE)).collect(Collectors.joining("; "));
    }
}

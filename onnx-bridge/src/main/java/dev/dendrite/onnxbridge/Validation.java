package dev.dendrite.onnxbridge;

import dev.dendrite.onnx.OnnxImportException;
import dev.dendrite.onnx.OnnxOp;
import dev.dendrite.onnxbridge.proto.ModelProto;
import dev.dendrite.random.Rng;
import dev.dendrite.tensor.GradMode;
import dev.dendrite.tensor.Tensor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@code dendrite validate}: runs a model in Dendrite (imported) and in ONNX Runtime on the same random
 * inputs of the declared shapes and compares every output. Symbolic dimensions get size 2.
 */
public final class Validation {
    /** DESIGN.md's agreement bound for float32. */
    public static final double TOLERANCE = 1e-4;
    private static final long SYMBOLIC_SIZE = 2;

    /**
     * @param maxAbsDiff max |a - e| over the output; +Infinity when the two disagree on a NaN or an infinity at
     *     some index (a NaN or infinity that both produce at the same index agrees)
     * @param relDiff max |a - e| / max(|e|) over the output: the difference relative to the output's scale
     */
    public record OutputDiff(String name, long[] shape, double maxAbsDiff, double relDiff) {
        public boolean ok() {
            return maxAbsDiff <= TOLERANCE;
        }
    }

    private Validation() {}

    public static List<OutputDiff> run(ModelProto proto, Path modelDir, long seed) {
        ImportedModel model = new OnnxImporter().importModel(proto, modelDir);
        model.train(false);
        INDArray[] inputs = randomInputs(model.inputs(), seed);
        Tensor[] ours;
        try (var off = GradMode.off()) {
            ours = model.run(Arrays.stream(inputs).map(Tensor::of).toArray(Tensor[]::new));
        }
        INDArray[] theirs;
        try (OrtRunner ort = new OrtRunner(proto)) {
            theirs = ort.run(inputs);
        }
        List<OutputDiff> diffs = new ArrayList<>();
        for (int i = 0; i < ours.length; i++) {
            diffs.add(diff(model.outputs().get(i).name(), ours[i].data(), theirs[i]));
        }
        return diffs;
    }

    /**
     * One output, Dendrite's against ONNX Runtime's, element by element in float64. Nothing non-finite is hidden
     * (ND4J's {@code amaxNumber()} skips a NaN): where exactly one side is NaN, or the two are different
     * infinities, or one is infinite and the other finite, the difference is +Infinity, so {@link OutputDiff#ok()}
     * is false. The same infinity on both sides, or NaN on both, agrees (difference 0). The relative difference
     * divides by the largest finite |e|.
     */
    static OutputDiff diff(String name, INDArray ours, INDArray theirs) {
        if (!Arrays.equals(ours.shape(), theirs.shape())) {
            throw new OnnxImportException("output '" + name + "': Dendrite's shape " + Arrays.toString(ours.shape())
                    + " differs from ONNX Runtime's " + Arrays.toString(theirs.shape()));
        }
        double[] a = values(ours);
        double[] e = values(theirs);
        double abs = 0;
        double scale = 0;
        for (int j = 0; j < a.length; j++) {
            if (Double.isFinite(a[j]) && Double.isFinite(e[j])) {
                abs = Math.max(abs, Math.abs(a[j] - e[j]));
            } else if (!(Double.isNaN(a[j]) && Double.isNaN(e[j])) && a[j] != e[j]) {
                abs = Double.POSITIVE_INFINITY;
            }
            if (Double.isFinite(e[j])) {
                scale = Math.max(scale, Math.abs(e[j]));
            }
        }
        double rel = scale == 0 ? abs : abs / scale;
        return new OutputDiff(name, ours.shape(), abs, rel);
    }

    /** The values in C order as float64. */
    private static double[] values(INDArray x) {
        if (x.length() == 0) {
            return new double[0];
        }
        return x.castTo(DataType.DOUBLE).dup('c').reshape(x.length()).toDoubleVector();
    }

    /**
     * The model itself against ONNX Runtime on its export: the same random inputs (of the graph's declared input
     * shapes) through {@code model}'s own forward, in evaluation mode without a graph, and through ONNX Runtime on
     * {@code proto}. What says an export is faithful (importing the file back would only show that the exporter and
     * the importer agree). A model with one output is compared on ONNX output 0.
     */
    public static List<OutputDiff> run(dev.dendrite.nn.Layer model, ModelProto proto, Path modelDir, long seed) {
        List<ValueSpec> specs = new OnnxImporter().importModel(proto, modelDir).inputs();
        INDArray[] inputs = randomInputs(specs, seed);
        INDArray ours;
        boolean training = model.isTraining();
        model.train(false);
        try (var off = GradMode.off()) {
            ours = model.forward(Arrays.stream(inputs).map(Tensor::of).toArray(Tensor[]::new)).data();
        } finally {
            model.train(training);
        }
        INDArray[] theirs;
        try (OrtRunner ort = new OrtRunner(proto)) {
            theirs = ort.run(inputs);
        }
        String name = proto.getGraph().getOutputCount() > 0 ? proto.getGraph().getOutput(0).getName() : "output";
        return List.of(diff(name, ours, theirs[0]));
    }

    static INDArray[] randomInputs(List<ValueSpec> specs, long seed) {
        Rng rng = new Rng(seed);
        INDArray[] xs = new INDArray[specs.size()];
        for (int i = 0; i < xs.length; i++) {
            ValueSpec s = specs.get(i);
            if (s.type() == null || s.dims() == null) {
                throw new OnnxImportException("input '" + s.name() + "' declares no element type or shape: cannot "
                        + "make a random input for it");
            }
            long[] shape = s.dims().clone();
            for (int d = 0; d < shape.length; d++) {
                shape[d] = shape[d] < 0 ? SYMBOLIC_SIZE : shape[d];
            }
            if (OnnxOp.elements(shape) > OnnxOp.MAX_ELEMENTS) {
                throw new OnnxImportException("input '" + s.name() + "' declares " + Arrays.toString(s.dims())
                        + ": more than " + OnnxOp.MAX_ELEMENTS + " elements");
            }
            // Integer inputs are usually indices: 0 is valid for any table. Floats: standard normal.
            xs[i] = s.type().isFPType() ? dev.dendrite.nn.Init.normal(rng, s.type(), 0, 1, shape)
                    : Nd4j.zeros(s.type(), shape);
        }
        return xs;
    }
}

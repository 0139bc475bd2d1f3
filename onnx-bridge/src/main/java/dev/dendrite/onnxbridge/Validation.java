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

    /** @param relDiff max |a - e| / max(|e|) over the output: the difference relative to the output's scale */
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
            INDArray a = ours[i].data();
            INDArray e = theirs[i];
            String name = model.outputs().get(i).name();
            if (!Arrays.equals(a.shape(), e.shape())) {
                throw new OnnxImportException("output '" + name + "': Dendrite's shape " + Arrays.toString(a.shape())
                        + " differs from ONNX Runtime's " + Arrays.toString(e.shape()));
            }
            double abs = 0;
            double rel = 0;
            if (a.length() > 0) {
                INDArray ad = a.castTo(DataType.DOUBLE);
                INDArray ed = e.castTo(DataType.DOUBLE);
                abs = ad.sub(ed).amaxNumber().doubleValue();
                double scale = ed.amaxNumber().doubleValue();
                rel = scale == 0 ? abs : abs / scale;
            }
            diffs.add(new OutputDiff(name, a.shape(), abs, rel));
        }
        return diffs;
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

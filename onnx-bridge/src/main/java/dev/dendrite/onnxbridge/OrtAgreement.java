package dev.dendrite.onnxbridge;

import dev.dendrite.nn.Layer;
import dev.dendrite.onnxbridge.proto.ModelProto;
import dev.dendrite.tensor.GradMode;
import dev.dendrite.tensor.Tensor;
import dev.dendrite.testkit.Compare;
import dev.dendrite.testkit.OnnxAgreement;
import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The conformance kit's ONNX step: export the layer, run the file in ONNX Runtime, compare with Dendrite's
 * own forward. Runs twice: at the example's batch size and at twice it, so a batch size baked into the
 * export (instead of the symbolic {@code batch}) fails here.
 */
public final class OrtAgreement implements OnnxAgreement {
    /** DESIGN.md: float32, max abs diff <= 1e-4. */
    public static final double TOLERANCE = 1e-4;

    @Override
    public double check(Layer layer, Tensor... inputs) {
        ModelProto model = OnnxExporter.export(layer, inputs);
        double worst;
        try (OrtRunner ort = new OrtRunner(model)) {
            worst = compare(layer, ort, inputs, "batch " + batch(inputs));
            if (Arrays.stream(inputs).allMatch(t -> t.rank() > 0)) {
                Tensor[] doubled = Arrays.stream(inputs)
                        .map(t -> Tensor.of(Nd4j.concat(0, t.data(),
                                t.dtype().isFPType() ? t.data().mul(0.5) : t.data().dup())))
                        .toArray(Tensor[]::new);
                worst = Math.max(worst, compare(layer, ort, doubled, "batch " + batch(doubled)));
            }
        }
        return worst;
    }

    private static String batch(Tensor[] xs) {
        return xs.length == 0 || xs[0].rank() == 0 ? "-" : String.valueOf(xs[0].size(0));
    }

    private static double compare(Layer layer, OrtRunner ort, Tensor[] inputs, String what) {
        INDArray expected;
        boolean training = layer.isTraining();
        layer.train(false);
        try (var off = GradMode.off()) {
            expected = layer.forward(inputs).data();
        } finally {
            layer.train(training);
        }
        INDArray actual = ort.run(Arrays.stream(inputs).map(Tensor::data).toArray(INDArray[]::new))[0];
        if (!Arrays.equals(expected.shape(), actual.shape())) {
            throw new AssertionError(layer.kind() + " (" + what + "): ONNX Runtime's output has shape "
                    + Arrays.toString(actual.shape()) + ", Dendrite's " + Arrays.toString(expected.shape()));
        }
        // Compare.maxAbsDiff fails on a NaN or an infinity on either side (amaxNumber would skip a NaN).
        double diff = Compare.maxAbsDiff(layer.kind() + " (" + what + ") against ONNX Runtime",
                actual.castTo(expected.dataType()), expected);
        if (!(diff <= TOLERANCE)) {
            throw new AssertionError(layer.kind() + " (" + what + "): max abs difference to ONNX Runtime " + diff
                    + " > " + TOLERANCE);
        }
        return diff;
    }
}

package dev.dendrite.cnn.onnx;

import dev.dendrite.nn.Module;
import dev.dendrite.tensor.Tensor;
import dev.dendrite.testkit.OnnxAgreement;
import java.util.ServiceLoader;
import java.util.function.BiFunction;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Runs a converter's composition through the conformance kit's ONNX step: exported (weights as
 * initializers), run in ONNX Runtime at the example batch and at twice it, and compared with Dendrite.
 */
final class OrtCheck {
    private OrtCheck() {}

    /** {@code f(x, weights)} as a layer whose weights are parameters; returns the max abs difference. */
    static double agree(String kind, BiFunction<Tensor, Tensor[], Tensor> f, Tensor x, INDArray... weights) {
        OnnxAgreement ort = ServiceLoader.load(OnnxAgreement.class).findFirst()
                .orElseThrow(() -> new AssertionError("no OnnxAgreement on the test classpath"));
        Module layer = new Module(kind) {
            private final Tensor[] w = register(weights);

            private Tensor[] register(INDArray[] ws) {
                Tensor[] t = new Tensor[ws.length];
                for (int i = 0; i < ws.length; i++) {
                    t[i] = parameter("w" + i, ws[i]);
                }
                return t;
            }

            @Override
            protected Tensor call(Tensor input) {
                return f.apply(input, w);
            }
        };
        return ort.check(layer, x);
    }
}

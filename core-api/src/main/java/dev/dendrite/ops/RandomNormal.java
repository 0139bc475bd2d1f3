package dev.dendrite.ops;

import dev.dendrite.onnx.OnnxBuilder;
import dev.dendrite.tensor.Function;
import dev.dendrite.tensor.Kernels;
import dev.dendrite.tensor.Shapes;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Standard normal noise shaped like its input (whose values are not read), from a native generator seeded per
 * call: the reparameterisation trick's ε as a primitive, so a compiled step draws a new ε on every replay from
 * the run's stream instead of freezing the first. No gradient flows into the input.
 */
final class RandomNormal extends Function {
    private final long seed;

    RandomNormal(long seed) {
        this.seed = seed;
    }

    @Override
    public String name() {
        return "random_normal";
    }

    @Override
    protected INDArray[] forward(INDArray[] in) {
        Shapes.requireFloating(name(), in[0]);
        INDArray out = Kernels.empty(in[0].dataType(), in[0].shape());
        if (out.length() > 0) {
            Kernels.execRandom("random_normal", new INDArray[] {Nd4j.createFromArray(in[0].shape())},
                    new INDArray[] {out}, null, new double[] {0.0, 1.0}, seed);
        }
        return new INDArray[] {out};
    }

    @Override
    protected INDArray[] backward(INDArray[] g) {
        return new INDArray[] {null};
    }

    @Override
    public void toOnnx(OnnxBuilder onnx, String[] inputs, String[] outputs) {
        onnx.node("RandomNormalLike", inputs, outputs, Map.of("mean", 0.0, "scale", 1.0));
    }
}

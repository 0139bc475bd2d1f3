package dev.dendrite.ops;

import dev.dendrite.onnx.OnnxBuilder;
import dev.dendrite.tensor.Function;
import dev.dendrite.tensor.Kernels;
import dev.dendrite.tensor.ShapeException;
import dev.dendrite.tensor.Shapes;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Inverted dropout: zeroes each element with probability p and scales the rest by 1/(1−p), so eval
 * mode is the identity. The mask comes from a seeded native generator: the same seed, the same mask.
 */
final class Dropout extends Function {
    private final double p;
    private final long seed;
    private INDArray scaledMask;

    Dropout(double p, long seed) {
        if (!(p >= 0 && p < 1)) {
            throw new ShapeException("dropout: p must be in [0, 1), got " + p);
        }
        this.p = p;
        this.seed = seed;
    }

    @Override
    public String name() {
        return "dropout";
    }

    @Override
    protected INDArray[] forward(INDArray[] in) {
        Shapes.requireFloating("dropout", in[0]);
        INDArray x = in[0];
        scaledMask = Kernels.dropoutMask(x.dataType(), x.shape(), p, seed);
        return new INDArray[] {Kernels.exec("multiply", Kernels.empty(x.dataType(), x.shape()), x, scaledMask)};
    }

    @Override
    protected INDArray[] backward(INDArray[] g) {
        return new INDArray[] {needsGrad(0)
                ? Kernels.exec("multiply", Kernels.empty(g[0].dataType(), g[0].shape()), g[0], scaledMask) : null};
    }

    /** Export describes inference, where inverted dropout is the identity. */
    @Override
    public void toOnnx(OnnxBuilder onnx, String[] inputs, String[] outputs) {
        onnx.node("Identity", inputs, outputs);
    }
}

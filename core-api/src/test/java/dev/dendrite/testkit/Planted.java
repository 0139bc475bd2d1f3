package dev.dendrite.testkit;

import dev.dendrite.onnx.OnnxBuilder;
import dev.dendrite.tensor.Function;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * y = 2x, correct except at flat {@code index}, where the output ({@code inForward}) or the gradient holds
 * {@code planted}: the fault the kit's checks must catch. A negative index plants nothing.
 */
final class Planted extends Function {
    private final long index;
    private final double planted;
    private final boolean inForward;

    Planted(long index, double planted, boolean inForward) {
        this.index = index;
        this.planted = planted;
        this.inForward = inForward;
    }

    @Override
    public String name() {
        return "planted";
    }

    @Override
    protected INDArray[] forward(INDArray[] in) {
        INDArray y = in[0].mul(2);
        if (inForward && index >= 0) {
            y.putScalar(index, planted);
        }
        return new INDArray[] {y};
    }

    @Override
    protected INDArray[] backward(INDArray[] g) {
        INDArray dx = g[0].mul(2);
        if (!inForward && index >= 0) {
            dx.putScalar(index, planted);
        }
        return new INDArray[] {dx};
    }

    @Override
    public void toOnnx(OnnxBuilder onnx, String[] inputs, String[] outputs) {
        throw new UnsupportedOperationException();
    }
}

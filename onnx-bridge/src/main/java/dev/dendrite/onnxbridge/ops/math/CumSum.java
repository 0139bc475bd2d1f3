package dev.dendrite.onnxbridge.ops.math;

import dev.dendrite.onnx.OnnxBuilder;
import dev.dendrite.tensor.Function;
import dev.dendrite.tensor.Kernels;
import dev.dendrite.tensor.Shapes;
import dev.dendrite.tensor.Tensor;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Cumulative sum along one axis (ONNX CumSum), optionally exclusive (each sum leaves its own element
 * out) and/or reversed (summing from the end). Backward is the cumulative sum of the gradient in the
 * opposite direction with the same exclusivity: dx_j = Σ over the outputs that include x_j.
 */
public final class CumSum extends Function {
    private final int requestedAxis;
    private final boolean exclusive;
    private final boolean reverse;
    private int axis;

    public CumSum(int axis, boolean exclusive, boolean reverse) {
        this.requestedAxis = axis;
        this.exclusive = exclusive;
        this.reverse = reverse;
    }

    /** The cumulative sum of {@code x} along {@code axis} as a differentiable tensor. */
    public static Tensor cumsum(Tensor x, int axis, boolean exclusive, boolean reverse) {
        return new CumSum(axis, exclusive, reverse).apply1(x);
    }

    @Override
    public String name() {
        return "cumsum";
    }

    @Override
    protected INDArray[] forward(INDArray[] in) {
        Shapes.requireFloating("cumsum", in[0]);
        Shapes.requireMinRank("cumsum", in[0], 1);
        axis = Shapes.axis("cumsum", requestedAxis, in[0].shape());
        return new INDArray[] {run(in[0], exclusive, reverse)};
    }

    private INDArray run(INDArray x, boolean excl, boolean rev) {
        if (x.isEmpty()) {
            return Nd4j.create(x.dataType(), x.shape());
        }
        INDArray out = Kernels.empty(x.dataType(), x.shape());
        Kernels.exec("cumsum", new INDArray[] {x}, new INDArray[] {out}, new long[] {excl ? 1 : 0, rev ? 1 : 0, axis},
                null, null);
        return out;
    }

    @Override
    protected INDArray[] backward(INDArray[] g) {
        return new INDArray[] {needsGrad(0) ? run(g[0], exclusive, !reverse) : null};
    }

    @Override
    public void toOnnx(OnnxBuilder onnx, String[] inputs, String[] outputs) {
        String axisName = onnx.constant(Nd4j.scalar(DataType.LONG, axis));
        onnx.node("CumSum", new String[] {inputs[0], axisName}, outputs,
                Map.of("exclusive", exclusive ? 1L : 0L, "reverse", reverse ? 1L : 0L));
    }
}

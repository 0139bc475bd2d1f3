package dev.dendrite.ops;

import dev.dendrite.onnx.OnnxBuilder;
import dev.dendrite.tensor.Function;
import dev.dendrite.tensor.Kernels;
import dev.dendrite.tensor.Shapes;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Softmax and log-softmax along one axis, on libnd4j's stable kernels. Backward from the output alone:
 * softmax: y ⊙ (g − Σ g⊙y); log-softmax: g − e^y ⊙ Σ g.
 */
final class Softmax extends Function {
    private final int requestedAxis;
    private final boolean log;
    private int axis;
    private INDArray x;
    private INDArray y;

    Softmax(int axis, boolean log) {
        this.requestedAxis = axis;
        this.log = log;
    }

    @Override
    public String name() {
        return log ? "log_softmax" : "softmax";
    }

    @Override
    protected INDArray[] forward(INDArray[] in) {
        Shapes.requireFloating(name(), in[0]);
        Shapes.requireMinRank(name(), in[0], 1);
        axis = Shapes.axis(name(), requestedAxis, in[0].shape());
        x = in[0];
        y = Kernels.empty(in[0].dataType(), in[0].shape());
        Kernels.exec(log ? "log_softmax" : "softmax", y, new long[] {axis}, in[0]);
        return new INDArray[] {y};
    }

    @Override
    protected INDArray[] backward(INDArray[] g) {
        if (!needsGrad(0)) {
            return new INDArray[] {null};
        }
        // libnd4j's softmax_bp / log_softmax_bp recompute the forward from x: one native call.
        INDArray dx = Kernels.empty(g[0].dataType(), g[0].shape());
        Kernels.exec(log ? "log_softmax_bp" : "softmax_bp", new INDArray[] {x, g[0]}, new INDArray[] {dx},
                new long[] {axis}, null, null);
        return new INDArray[] {dx};
    }

    @Override
    public void toOnnx(OnnxBuilder onnx, String[] inputs, String[] outputs) {
        // Opset 13 made Softmax a single-axis op, as it is here.
        onnx.node(log ? "LogSoftmax" : "Softmax", inputs, outputs, Map.of("axis", (long) axis));
    }
}

package dev.dendrite.cnn.ops;

import dev.dendrite.onnx.OnnxBuilder;
import dev.dendrite.tensor.Function;
import dev.dendrite.tensor.Kernels;
import dev.dendrite.tensor.ShapeException;
import dev.dendrite.tensor.Shapes;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Average or max over all of H and W: [N, C, H, W] → [N, C, 1, 1], as ONNX's GlobalAveragePool and
 * GlobalMaxPool. A pool whose window is the whole image, on the same native kernels as {@link Pool}.
 */
final class GlobalPool extends Function {
    private final boolean max;
    private INDArray x;
    private long[] iArgs;

    GlobalPool(boolean max) {
        this.max = max;
    }

    @Override
    public String name() {
        return max ? "global_max_pool2d" : "global_avg_pool2d";
    }

    @Override
    protected INDArray[] forward(INDArray[] in) {
        String op = name();
        if (in.length != 1) {
            throw new ShapeException(op + ": expected 1 input, got " + in.length);
        }
        x = in[0];
        Window.requireInput(op, x, 2, "C");
        long[] outShape = {x.size(0), x.size(1), 1, 1};
        if (Shapes.numel(outShape) == 0) {
            return new INDArray[] {Nd4j.zeros(x.dataType(), outShape)};
        }
        iArgs = new long[] {x.size(2), x.size(3), 1, 1, 0, 0, 1, 1, 0, 1, 0};
        return new INDArray[] {Kernels.exec(max ? "maxpool2d" : "avgpool2d", Kernels.empty(x.dataType(), outShape),
                iArgs, x)};
    }

    @Override
    protected INDArray[] backward(INDArray[] gradOut) {
        if (!needsGrad(0)) {
            return new INDArray[] {null};
        }
        if (x.length() == 0) {
            return new INDArray[] {Nd4j.zeros(gradOut[0].dataType(), x.shape())};
        }
        INDArray gx = Kernels.empty(x.dataType(), x.shape());
        Kernels.exec(max ? "maxpool2d_bp" : "avgpool2d_bp", new INDArray[] {x, gradOut[0]}, new INDArray[] {gx}, iArgs,
                null, null);
        return new INDArray[] {gx};
    }

    @Override
    public void toOnnx(OnnxBuilder onnx, String[] inputs, String[] outputs) {
        onnx.node(max ? "GlobalMaxPool" : "GlobalAveragePool", inputs, outputs);
    }
}

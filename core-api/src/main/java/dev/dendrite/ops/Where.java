package dev.dendrite.ops;

import dev.dendrite.onnx.OnnxBuilder;
import dev.dendrite.tensor.Function;
import dev.dendrite.tensor.Kernels;
import dev.dendrite.tensor.ShapeException;
import dev.dendrite.tensor.Shapes;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * where(cond, x, y) with broadcasting. Backward selects, rather than multiplying by the mask, so an
 * infinite value on the branch not taken cannot turn the gradient into NaN.
 */
final class Where extends Function {
    private INDArray cond;
    private long[] xShape;
    private long[] yShape;

    @Override
    public String name() {
        return "where";
    }

    @Override
    protected INDArray[] forward(INDArray[] in) {
        if (in[0].dataType() != DataType.BOOL) {
            throw new ShapeException("where: the condition must be BOOL, got " + in[0].dataType() + " "
                    + Shapes.str(in[0].shape()) + " (x " + Shapes.str(in[1].shape()) + ", y "
                    + Shapes.str(in[2].shape()) + ")");
        }
        Shapes.sameFloating("where", in[1], in[2]);
        xShape = in[1].shape();
        yShape = in[2].shape();
        long[] out = Shapes.broadcast("where", Shapes.broadcast("where", in[0].shape(), xShape), yShape);
        cond = Arr.broadcastTo(in[0], out);
        return new INDArray[] {select(cond, Arr.broadcastTo(in[1], out), Arr.broadcastTo(in[2], out))};
    }

    private static INDArray select(INDArray c, INDArray a, INDArray b) {
        INDArray out = Kernels.empty(a.dataType(), c.shape());
        return Kernels.exec("select", out, c, a, b);
    }

    @Override
    protected INDArray[] backward(INDArray[] g) {
        INDArray zeros = Nd4j.zeros(g[0].dataType(), g[0].shape());
        return new INDArray[] {
            null,
            needsGrad(1) ? Shapes.unbroadcast(select(cond, g[0], zeros), xShape) : null,
            needsGrad(2) ? Shapes.unbroadcast(select(cond, zeros, g[0]), yShape) : null
        };
    }

    @Override
    public void toOnnx(OnnxBuilder onnx, String[] inputs, String[] outputs) {
        onnx.node("Where", inputs, outputs);
    }
}

package dev.dendrite.ops;

import dev.dendrite.onnx.OnnxBuilder;
import dev.dendrite.tensor.Function;
import dev.dendrite.tensor.Kernels;
import dev.dendrite.tensor.ShapeException;
import dev.dendrite.tensor.Shapes;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * y = x·Wᵀ + b over the last axis of x [..., in] (rank ≥ 3), W [out, in], b [out] optional, as ONE 2-D GEMM on x
 * viewed as [rows, in]. Why a primitive: a batched matmul of x with Wᵀ broadcasts W to every batch entry
 * ([L, N, in, out] at transformer sizes), 10–20× slower than the single GEMM. Backward: dx = g·W, dW = gᵀ·x,
 * db = Σ g over the rows. Export: Transpose(W), MatMul, Add, which keep every axis of x symbolic.
 */
final class Linear extends Function {
    private long[] xShape;
    private INDArray x2;
    private INDArray w;
    private boolean hasBias;

    @Override
    public String name() {
        return "linear";
    }

    @Override
    protected INDArray[] forward(INDArray[] in) {
        Shapes.sameFloating(name(), in);
        INDArray x = in[0];
        w = in[1];
        hasBias = in.length == 3;
        if (w.rank() != 2 || x.rank() < 3 || x.size(x.rank() - 1) != w.size(1)
                || hasBias && (in[2].rank() != 1 || in[2].size(0) != w.size(0))) {
            throw new ShapeException(name() + ": expected x [..., in] of rank >= 3, weight [out, in], bias [out], got x "
                    + Shapes.str(x.shape()) + ", weight " + Shapes.str(w.shape())
                    + (hasBias ? ", bias " + Shapes.str(in[2].shape()) : ""));
        }
        xShape = x.shape();
        long inSize = w.size(1);
        long out = w.size(0);
        x2 = x.reshape('c', Shapes.numel(xShape) / Math.max(1, inSize), inSize);
        INDArray y = Kernels.matmul(x2, w, false, true);
        if (hasBias) {
            Kernels.exec("add", y, y, in[2]);
        }
        long[] yShape = xShape.clone();
        yShape[yShape.length - 1] = out;
        return new INDArray[] {y.reshape('c', yShape)};
    }

    @Override
    protected INDArray[] backward(INDArray[] g) {
        INDArray g2 = g[0].reshape('c', x2.size(0), w.size(0));
        INDArray[] grads = new INDArray[hasBias ? 3 : 2];
        if (needsGrad(0)) {
            grads[0] = Kernels.matmul(g2, w, false, false).reshape('c', xShape);
        }
        if (needsGrad(1)) {
            grads[1] = Kernels.matmul(g2, x2, true, false);
        }
        if (hasBias && needsGrad(2)) {
            grads[2] = Kernels.reduceSum(Kernels.empty(g2.dataType(), w.size(0)), g2, false, 0);
        }
        return grads;
    }

    @Override
    public void toOnnx(OnnxBuilder onnx, String[] inputs, String[] outputs) {
        String wt = onnx.fresh("/linear_wT");
        onnx.node("Transpose", new String[] {inputs[1]}, new String[] {wt}, Map.of("perm", new long[] {1, 0}));
        if (!hasBias) {
            onnx.node("MatMul", new String[] {inputs[0], wt}, outputs);
            return;
        }
        String xw = onnx.fresh("/linear_xW");
        onnx.node("MatMul", new String[] {inputs[0], wt}, new String[] {xw});
        onnx.node("Add", new String[] {xw, inputs[2]}, outputs);
    }
}

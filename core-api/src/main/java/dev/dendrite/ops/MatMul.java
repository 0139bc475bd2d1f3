package dev.dendrite.ops;

import dev.dendrite.onnx.OnnxBuilder;
import dev.dendrite.tensor.Function;
import dev.dendrite.tensor.Kernels;
import dev.dendrite.tensor.ShapeException;
import dev.dendrite.tensor.Shapes;
import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Matrix product of rank ≥ 2 operands with broadcast batch dimensions (NumPy's matmul; rank-1
 * operands are promoted by {@link F#matmul}). Backward: dA = G·Bᵀ, dB = Aᵀ·G, summed over broadcast batches.
 */
final class MatMul extends Function {
    private INDArray a;
    private INDArray b;
    private long[] shapeA;
    private long[] shapeB;

    @Override
    public String name() {
        return "matmul";
    }

    @Override
    protected INDArray[] forward(INDArray[] in) {
        Shapes.sameFloating("matmul", in);
        Shapes.requireMinRank("matmul", in[0], 2);
        Shapes.requireMinRank("matmul", in[1], 2);
        long[] as = in[0].shape();
        long[] bs = in[1].shape();
        shapeA = as;
        shapeB = bs;
        long k = as[as.length - 1];
        if (k != bs[bs.length - 2]) {
            throw new ShapeException("matmul: inner dimensions differ: " + Shapes.str(as) + " x " + Shapes.str(bs)
                    + " (" + k + " vs " + bs[bs.length - 2] + ")");
        }
        long[] batch = Shapes.broadcast("matmul", Arrays.copyOf(as, as.length - 2), Arrays.copyOf(bs, bs.length - 2));
        a = Arr.broadcastTo(in[0], concat(batch, as[as.length - 2], k));
        b = Arr.broadcastTo(in[1], concat(batch, k, bs[bs.length - 1]));
        return new INDArray[] {mm(a, b, false, false)};
    }

    /** One native matmul, transposing the last two dims of either side as asked. */
    static INDArray mm(INDArray x, INDArray y, boolean tx, boolean ty) {
        int r = x.rank();
        long m = x.size(tx ? r - 1 : r - 2);
        long n = y.size(ty ? r - 2 : r - 1);
        long[] shape = x.shape().clone();
        shape[r - 2] = m;
        shape[r - 1] = n;
        if (x.isEmpty() || y.isEmpty()) {
            // An empty sum (K = 0) is 0; libnd4j's matmul fails on empty operands instead.
            return org.nd4j.linalg.factory.Nd4j.zeros(x.dataType(), shape);
        }
        INDArray out = Kernels.empty(x.dataType(), shape);
        Kernels.exec("matmul", new INDArray[] {x, y}, new INDArray[] {out}, new long[] {tx ? 1 : 0, ty ? 1 : 0},
                null, null);
        return out;
    }

    private static long[] concat(long[] batch, long r, long c) {
        long[] s = Arrays.copyOf(batch, batch.length + 2);
        s[batch.length] = r;
        s[batch.length + 1] = c;
        return s;
    }

    @Override
    protected INDArray[] backward(INDArray[] g) {
        INDArray[] grads = new INDArray[2];
        if (needsGrad(0)) {
            grads[0] = Shapes.unbroadcast(mm(g[0], b, false, true), shapeA);
        }
        if (needsGrad(1)) {
            grads[1] = Shapes.unbroadcast(mm(a, g[0], true, false), shapeB);
        }
        return grads;
    }

    @Override
    public void toOnnx(OnnxBuilder onnx, String[] inputs, String[] outputs) {
        onnx.node("MatMul", inputs, outputs);
    }
}

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
        return new INDArray[] {Kernels.matmul(a, b, false, false)};
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
            grads[0] = Shapes.unbroadcast(Kernels.matmul(g[0], b, false, true), shapeA);
        }
        if (needsGrad(1)) {
            grads[1] = Shapes.unbroadcast(Kernels.matmul(a, g[0], true, false), shapeB);
        }
        return grads;
    }

    @Override
    public void toOnnx(OnnxBuilder onnx, String[] inputs, String[] outputs) {
        onnx.node("MatMul", inputs, outputs);
    }
}

package dev.dendrite.ops;

import dev.dendrite.onnx.OnnxBuilder;
import dev.dendrite.tensor.Function;
import dev.dendrite.tensor.Kernels;
import dev.dendrite.tensor.ShapeException;
import dev.dendrite.tensor.Shapes;
import java.util.HashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * ONNX's Gemm: Y = α·op(A)·op(B) + β·C with op a optional transpose and C broadcast to [M, N]. Dense
 * layers use it with transB so the weight keeps PyTorch's [out, in] layout.
 */
final class Gemm extends Function {
    private final double alpha;
    private final double beta;
    private final boolean transA;
    private final boolean transB;
    private INDArray a;
    private INDArray b;
    private long[] shapeC;

    Gemm(double alpha, double beta, boolean transA, boolean transB) {
        this.alpha = alpha;
        this.beta = beta;
        this.transA = transA;
        this.transB = transB;
    }

    @Override
    public String name() {
        return "gemm";
    }

    @Override
    protected INDArray[] forward(INDArray[] in) {
        Shapes.sameFloating("gemm", in);
        if (in[0].rank() != 2 || in[1].rank() != 2) {
            throw new ShapeException("gemm: A and B must be rank 2, got A" + Shapes.str(in[0].shape()) + " and B"
                    + Shapes.str(in[1].shape()));
        }
        a = in[0];
        b = in[1];
        long k = transA ? a.size(0) : a.size(1);
        long kb = transB ? b.size(1) : b.size(0);
        if (k != kb) {
            throw new ShapeException("gemm: inner dimensions differ: A" + Shapes.str(a.shape()) + (transA ? "ᵀ" : "")
                    + " x B" + Shapes.str(b.shape()) + (transB ? "ᵀ" : "") + " (" + k + " vs " + kb + ")");
        }
        INDArray y = Kernels.matmul(a, b, transA, transB);
        if (alpha != 1.0) {
            Kernels.scalar("mul", y, y, alpha);
        }
        if (in.length > 2) {
            shapeC = in[2].shape();
            long[] out = Shapes.broadcast("gemm", y.shape(), shapeC);
            if (out.length != 2 || out[0] != y.size(0) || out[1] != y.size(1)) {
                throw new ShapeException("gemm: C" + Shapes.str(shapeC) + " does not broadcast to the output "
                        + Shapes.str(y.shape()));
            }
            // In place: y is this call's own fresh product, so adding C into it saves an output array.
            Kernels.exec("add", y, y, beta == 1.0 ? in[2] : Arr.scale(in[2], beta));
        }
        return new INDArray[] {y};
    }

    @Override
    protected INDArray[] backward(INDArray[] gs) {
        INDArray g = alpha == 1.0 ? gs[0] : Arr.scale(gs[0], alpha);
        INDArray[] grads = new INDArray[shapeC == null ? 2 : 3];
        if (needsGrad(0)) {
            // Y = op(A)·op(B): d op(A) = G·op(B)ᵀ, and dA is its transpose when A was transposed.
            grads[0] = transA ? Kernels.matmul(b, g, transB, true) : Kernels.matmul(g, b, false, !transB);
        }
        if (needsGrad(1)) {
            grads[1] = transB ? Kernels.matmul(g, a, true, transA) : Kernels.matmul(a, g, !transA, false);
        }
        if (shapeC != null && needsGrad(2)) {
            INDArray gc = Shapes.unbroadcast(gs[0], shapeC);
            grads[2] = beta == 1.0 ? gc : Arr.scale(gc, beta);
        }
        return grads;
    }

    @Override
    public void toOnnx(OnnxBuilder onnx, String[] inputs, String[] outputs) {
        Map<String, Object> attrs = new HashMap<>();
        if (alpha != 1.0) {
            attrs.put("alpha", alpha);
        }
        if (beta != 1.0) {
            attrs.put("beta", beta);
        }
        if (transA) {
            attrs.put("transA", 1L);
        }
        if (transB) {
            attrs.put("transB", 1L);
        }
        onnx.node("Gemm", inputs, outputs, attrs);
    }
}

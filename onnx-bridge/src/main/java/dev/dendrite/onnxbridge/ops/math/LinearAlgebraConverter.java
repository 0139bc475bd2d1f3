package dev.dendrite.onnxbridge.ops.math;

import dev.dendrite.onnx.OnnxConverter;
import dev.dendrite.onnx.OnnxOp;
import dev.dendrite.ops.F;
import dev.dendrite.tensor.ShapeException;
import dev.dendrite.tensor.Shapes;
import dev.dendrite.tensor.Tensor;
import java.util.Arrays;
import java.util.Set;

/** MatMul (NumPy semantics: 1-D promotion, broadcast batches) and Gemm (α·op(A)·op(B) + β·C). */
public final class LinearAlgebraConverter implements OnnxConverter {
    @Override
    public Set<String> opTypes() {
        return Set.of("MatMul", "Gemm");
    }

    @Override
    public Tensor[] convert(OnnxOp op, Tensor[] inputs) {
        Tensor a = op.input(inputs, 0, "A");
        Tensor b = op.input(inputs, 1, "B");
        Tensor c = op.opType().equals("Gemm") && OnnxOp.present(inputs, 2) ? inputs[2] : null;
        Tensor[] all = c == null ? new Tensor[] {a, b} : new Tensor[] {a, b, c};
        MathSupport.sameType(op, all);
        if (!MathSupport.floating(a)) {
            throw MathSupport.unsupportedType(op, a);
        }
        return MathSupport.one(op, op.opType().equals("MatMul") ? matmul(op, a, b) : gemm(op, a, b, c));
    }

    private static Tensor matmul(OnnxOp op, Tensor a, Tensor b) {
        if (a.rank() == 0 || b.rank() == 0) {
            throw op.error("MatMul does not take scalars, got " + MathSupport.shapes(a, b));
        }
        long[] as = a.rank() == 1 ? new long[] {1, a.shape()[0]} : a.shape();
        long[] bs = b.rank() == 1 ? new long[] {b.shape()[0], 1} : b.shape();
        long k = as[as.length - 1];
        if (k != bs[bs.length - 2]) {
            throw op.error("inner dimensions differ: " + MathSupport.shapes(a, b));
        }
        long[] batchA = Arrays.copyOf(as, as.length - 2);
        long[] batchB = Arrays.copyOf(bs, bs.length - 2);
        long[] batch;
        try {
            batch = Shapes.broadcast("MatMul", batchA, batchB);
        } catch (ShapeException e) {
            throw op.error("batch dimensions do not broadcast: " + MathSupport.shapes(a, b));
        }
        long[] out = Arrays.copyOf(batch, batch.length + 2);
        out[batch.length] = as[as.length - 2];
        out[batch.length + 1] = bs[bs.length - 1];
        op.checkShape(out, "the product");
        return F.matmul(a, b);
    }

    private static Tensor gemm(OnnxOp op, Tensor a, Tensor b, Tensor c) {
        if (a.rank() != 2 || b.rank() != 2) {
            throw op.error("A and B must be matrices, got " + MathSupport.shapes(a, b));
        }
        boolean transA = op.attr("transA", 0L) != 0;
        boolean transB = op.attr("transB", 0L) != 0;
        long m = a.shape()[transA ? 1 : 0];
        long k = a.shape()[transA ? 0 : 1];
        long kb = b.shape()[transB ? 1 : 0];
        long n = b.shape()[transB ? 0 : 1];
        if (k != kb) {
            throw op.error("inner dimensions differ: " + MathSupport.shapes(a, b) + " (transA " + transA
                    + ", transB " + transB + ")");
        }
        op.checkShape(new long[] {m, n}, "the product");
        if (c != null) {
            long[] cs = c.shape();
            boolean ok = cs.length <= 2;
            for (int i = 0; ok && i < cs.length; i++) {
                long want = i == cs.length - 1 ? n : m;
                ok = cs[i] == 1 || cs[i] == want;
            }
            if (!ok) {
                throw op.error("C " + Arrays.toString(cs) + " does not broadcast to [" + m + ", " + n + "]");
            }
        }
        return F.gemm(a, b, c, op.attr("alpha", 1.0), op.attr("beta", 1.0), transA, transB);
    }
}

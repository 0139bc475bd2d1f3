package dev.dendrite.attention;

import dev.dendrite.tensor.ShapeException;
import dev.dendrite.tensor.Shapes;
import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The shape and dtype rules of scaled dot-product attention, checked before any kernel runs. */
final class AttentionShapes {
    private AttentionShapes() {}

    /** q [..., Lq, d], k [..., Lk, d], v [..., Lk, dv], optional mask broadcastable to [..., Lq, Lk]. */
    static void check(String op, INDArray[] in) {
        if (in.length < 3 || in.length > 4) {
            throw new ShapeException(op + ": expected q, k, v and an optional mask, got " + in.length + " inputs");
        }
        INDArray q = in[0];
        INDArray k = in[1];
        INDArray v = in[2];
        String got = "q " + Shapes.str(q.shape()) + ", k " + Shapes.str(k.shape()) + ", v " + Shapes.str(v.shape());
        DataType type = q.dataType();
        if (!type.isFPType() || k.dataType() != type || v.dataType() != type) {
            throw new ShapeException(op + ": q, k and v must share one floating-point dtype, got " + type + ", "
                    + k.dataType() + ", " + v.dataType());
        }
        int r = q.rank();
        if (r < 2 || k.rank() != r || v.rank() != r) {
            throw new ShapeException(op + ": expected q [..., Lq, d], k [..., Lk, d], v [..., Lk, dv] of one rank >= 2,"
                    + " got " + got);
        }
        long[] qs = q.shape();
        long[] ks = k.shape();
        long[] vs = v.shape();
        if (!Arrays.equals(Arrays.copyOf(qs, r - 2), Arrays.copyOf(ks, r - 2))
                || !Arrays.equals(Arrays.copyOf(qs, r - 2), Arrays.copyOf(vs, r - 2))) {
            throw new ShapeException(op + ": q, k and v must share their leading (batch, head) axes, got " + got);
        }
        if (ks[r - 1] != qs[r - 1]) {
            throw new ShapeException(op + ": k's feature size must equal q's (d = " + qs[r - 1] + "), got " + got);
        }
        if (vs[r - 2] != ks[r - 2]) {
            throw new ShapeException(op + ": v must have one row per key (Lk = " + ks[r - 2] + "), got " + got);
        }
        if (in.length == 4) {
            long[] scores = qs.clone();
            scores[r - 1] = ks[r - 2];
            checkMask(op, in[3], scores, type);
        }
    }

    /** A bool mask or a float bias of the inputs' dtype, broadcastable to the scores [..., Lq, Lk]. */
    static void checkMask(String op, INDArray mask, long[] scores, DataType type) {
        DataType t = mask.dataType();
        if (t != DataType.BOOL && t != type) {
            throw new ShapeException(op + ": the mask must be bool (true = masked) or " + type
                    + " (an additive bias), got " + t);
        }
        long[] m = mask.shape();
        boolean ok = m.length >= 1 && m.length <= scores.length;
        for (int i = 0; ok && i < m.length; i++) {
            long target = scores[scores.length - m.length + i];
            ok = m[i] == 1 || m[i] == target;
        }
        if (!ok) {
            throw new ShapeException(op + ": mask " + Shapes.str(m) + " does not broadcast to the attention scores "
                    + Shapes.str(scores) + " [..., Lq, Lk]");
        }
    }

    /** {@code shape} with leading 1s up to {@code rank}. */
    static long[] padLeft(long[] shape, int rank) {
        long[] p = new long[rank];
        Arrays.fill(p, 1);
        System.arraycopy(shape, 0, p, rank - shape.length, shape.length);
        return p;
    }
}

package dev.dendrite.rnn.ops;

import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;
import static org.nd4j.linalg.indexing.NDArrayIndex.point;

import java.util.function.IntPredicate;
import java.util.function.Supplier;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Runs a recurrence cell over every direction of an ONNX-style recurrent node and assembles Y [T, D, N, H] and
 * Y_h [D, N, H]; its backward turns the cells' step gradients into dX, dW, dR, dB and dh0 with one GEMM each per
 * direction over all T·N rows (dW = dXWᵀ·X, dX = dXW·W, dR = dHRᵀ·Hprev, dB = column sums).
 *
 * <p>The reverse direction runs the same forward-in-time cell on X with each sequence's valid part reversed
 * (ONNX Runtime and PyTorch's packed sequences reverse only the first L_n steps), and its Y is reversed back.
 * A sequence of length 0 (or T = 0) has Y_h = 0 whatever initial_h is, as ONNX Runtime computes (PyTorch rejects
 * length 0).
 */
final class Recurrence {
    private final RecurrenceInputs in;
    private final Direction direction;
    private final long hidden;
    private final int gates;
    private final Supplier<RecurrenceCell> cells;

    private RecurrenceCell[] cell;
    /** [N] int64 lengths for reverse_sequence (all T without sequence_lens). */
    private INDArray lengths;
    /** Per direction: the input the cell saw, [T·N, I] (time-reversed for the reverse direction). */
    private INDArray[] xs;
    /** [N, 1]: 0 for a sequence of length 0, whose Y_h ONNX Runtime gives as 0 (not initial_h); null if none. */
    private INDArray started;

    Recurrence(RecurrenceInputs in, Direction direction, long hidden, int gates, Supplier<RecurrenceCell> cells) {
        this.in = in;
        this.direction = direction;
        this.hidden = hidden;
        this.gates = gates;
        this.cells = cells;
    }

    private boolean reversed(int d) {
        return direction == Direction.REVERSE || (direction == Direction.BIDIRECTIONAL && d == 1);
    }

    private boolean empty() {
        return in.steps() == 0 || in.batch() == 0;
    }

    INDArray[] forward() {
        DataType type = in.type();
        long t = in.steps();
        long n = in.batch();
        int dirs = direction.count();
        INDArray y = Nd4j.zeros(type, t, dirs, n, hidden);
        INDArray yh = Nd4j.zeros(type, dirs, n, hidden);
        if (empty()) {
            // T = 0: every sequence is empty, and an empty sequence's Y_h is 0 (as for L_n = 0 below).
            return new INDArray[] {y, yh};
        }
        long gh = gates * hidden;
        lengths = in.lengths() != null ? Nd4j.createFromArray(in.lengths()) : Nd4j.valueArrayOf(new long[] {n}, t,
                DataType.LONG);
        INDArray mask = in.masked() ? RecurrenceMath.stepMask(type, t, lengths).reshape('c', t, 1, n) : null;
        started = in.anyEmptySequence() ? RecurrenceMath.stepMask(type, 1, lengths).reshape(n, 1) : null;
        cell = new RecurrenceCell[dirs];
        xs = new INDArray[dirs];
        for (int d = 0; d < dirs; d++) {
            INDArray x = reversed(d) ? RecurrenceMath.reverse(in.x(), lengths) : in.x();
            xs[d] = x.reshape('c', t * n, in.inputSize());
            INDArray b = in.b().slice(d);
            // X·Wᵀ + Wb for all steps in one GEMM, then feature-major for the cell.
            INDArray xw = RecurrenceMath.mm(xs[d], in.w().slice(d), false, true);
            RecurrenceMath.exec("add", xw, xw, b.get(interval(0, gh)).reshape(1, gh));
            INDArray h0 = in.h0() != null ? in.h0().slice(d).transpose().dup('c') : Nd4j.zeros(type, hidden, n);
            cell[d] = cells.get();
            INDArray[] out = cell[d].forward(RecurrenceMath.swapLast(xw.reshape('c', t, n, gh)),
                    in.r().slice(d).dup('c'), b.get(interval(gh, 2 * gh)).reshape(gh, 1).dup('c'), h0, mask);
            INDArray yd = RecurrenceMath.swapLast(out[0]);
            y.get(all(), point(d), all(), all()).assign(reversed(d) ? RecurrenceMath.reverse(yd, lengths) : yd);
            INDArray last = out[1].transpose();
            yh.slice(d).assign(started == null ? last : last.mulColumnVector(started));
        }
        return new INDArray[] {y, yh};
    }

    /**
     * The op's backward: gradients in its input order (X, W, R, B, [sequence_lens: none], [initial_h]), null where
     * {@code needsGrad} is false.
     */
    INDArray[] backward(IntPredicate needsGrad, INDArray[] gradOut) {
        int initial = in.initialIndex();
        boolean[] need = {needsGrad.test(0), needsGrad.test(1), needsGrad.test(2), needsGrad.test(3),
                initial >= 0 && needsGrad.test(initial)};
        INDArray[] grads = new INDArray[4 + (in.lengthsIndex() >= 0 ? 1 : 0) + (initial >= 0 ? 1 : 0)];
        if (!(need[0] || need[1] || need[2] || need[3] || need[4])) {
            return grads;
        }
        INDArray[] g = backward(gradOut[0], gradOut[1], need);
        System.arraycopy(g, 0, grads, 0, 4);
        if (initial >= 0) {
            grads[initial] = g[4];
        }
        return grads;
    }

    /**
     * @param need which of X, W, R, B, h0 need a gradient
     * @return {dX, dW, dR, dB, dh0}, null where not needed
     */
    private INDArray[] backward(INDArray dy, INDArray dyh, boolean[] need) {
        DataType type = in.type();
        long t = in.steps();
        long n = in.batch();
        long i = in.inputSize();
        int dirs = direction.count();
        long gh = gates * hidden;
        INDArray dx = need[0] ? Nd4j.zeros(type, t, n, i) : null;
        INDArray dw = need[1] ? Nd4j.zeros(type, in.w().shape()) : null;
        INDArray dr = need[2] ? Nd4j.zeros(type, in.r().shape()) : null;
        INDArray db = need[3] ? Nd4j.zeros(type, in.b().shape()) : null;
        INDArray dh0 = need[4] ? Nd4j.zeros(type, dirs, n, hidden) : null;
        if (empty()) {
            return new INDArray[] {dx, dw, dr, db, dh0};
        }
        for (int d = 0; d < dirs; d++) {
            INDArray dyd = dy.get(all(), point(d), all(), all()).dup('c');
            INDArray dLast = started == null ? dyh.slice(d) : dyh.slice(d).mulColumnVector(started);
            INDArray[] g = cell[d].backward(RecurrenceMath.swapLast(reversed(d) ? RecurrenceMath.reverse(dyd, lengths)
                    : dyd), dLast.transpose().dup('c'));
            // Back to batch-major rows (t, n) for the GEMMs over all steps.
            INDArray dxw = RecurrenceMath.swapLast(g[0]).reshape('c', t * n, gh);
            INDArray dhr = g[1] == g[0] ? dxw : RecurrenceMath.swapLast(g[1]).reshape('c', t * n, gh);
            if (dx != null) {
                INDArray dxd = RecurrenceMath.mm(dxw, in.w().slice(d), false, false).reshape('c', t, n, i);
                dx.addi(reversed(d) ? RecurrenceMath.reverse(dxd, lengths) : dxd);
            }
            if (dw != null) {
                dw.slice(d).assign(RecurrenceMath.mm(dxw, xs[d], true, false));
            }
            if (dr != null) {
                INDArray prev = RecurrenceMath.swapLast(cell[d].previousStates()).reshape('c', t * n, hidden);
                dr.slice(d).assign(RecurrenceMath.mm(dhr, prev, true, false));
            }
            if (db != null) {
                db.slice(d).get(interval(0, gh)).assign(dxw.sum(0));
                db.slice(d).get(interval(gh, 2 * gh)).assign(dhr.sum(0));
            }
            if (dh0 != null) {
                dh0.slice(d).assign(g[2].transpose());
            }
        }
        return new INDArray[] {dx, dw, dr, db, dh0};
    }
}

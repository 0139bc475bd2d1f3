package dev.dendrite.rnn.ops;

import dev.dendrite.tensor.Kernels;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * One forward-running LSTM direction over sequences of different lengths (steps [0, len) of each, Y zero after,
 * the final states taken after step len − 1), as one fused {@code lstmLayer} call per distinct length.
 *
 * <p>Why not libnd4j's own sequence lengths: with them lstmLayer and lstmLayer_bp loop over the batch one sample at
 * a time (matrix-vector products), 4–7× slower than the whole batch here. Instead the batch is sorted by length,
 * longest first, so the sequences still running between two consecutive distinct lengths are a prefix of it; each
 * such time segment is one full-batch call on that prefix, starting from the states the previous segment left.
 * Backward runs the segments in reverse with its own backpropagation through time (see {@link #segmentBackward}:
 * libnd4j's {@code lstmLayer_bp} leaks native memory on every call), handing each segment's initial-state
 * gradients to the previous segment as its last-state gradients. Exact (no masking arithmetic), and the work is the useful
 * work: Σ lengths steps of one sample each.
 */
final class LstmSegments {
    private static final long TANH = 0;
    private static final long SIGMOID = 2;
    /** dataFormat [T, N, I], forward, sigmoid gates, tanh cell and output activations. */
    private static final long[] I_ARGS = {0, 0, SIGMOID, TANH, TANH};
    /** biases, no seqLen, initial h and c, no peepholes, and every output. */
    private static final boolean[] B_ARGS = {true, false, true, true, false, true, true, true};

    private final INDArray wx;
    private final INDArray wr;
    private final INDArray b;
    private final long hidden;
    /** Batch positions in order of decreasing length, and back. */
    private final INDArray order;
    private final INDArray inverse;
    /** Segment k covers steps [bounds[k], bounds[k + 1]) for the first active[k] sequences of the sorted batch. */
    private final long[] bounds;
    private final long[] active;
    private final List<INDArray> segmentX = new ArrayList<>();
    private final List<INDArray> segmentH0 = new ArrayList<>();
    private final List<INDArray> segmentC0 = new ArrayList<>();
    private final List<INDArray> segmentY = new ArrayList<>();
    /** Whether the sort by length left the batch as it was. */
    private final boolean inOrder;
    /** How many sequences have length > 0: the rest (last in sorted order) end with zero states, as in ORT. */
    private final long running;
    private long[] xShape;

    /** {@code wx} [I, 4H], {@code wr} [H, 4H], {@code b} [4H] in libnd4j's gate order; lengths in [0, T]. */
    LstmSegments(INDArray wx, INDArray wr, INDArray b, long hidden, long[] lengths) {
        this.wx = wx;
        this.wr = wr;
        this.b = b;
        this.hidden = hidden;
        int n = lengths.length;
        int[] sorted = IntStream.range(0, n).boxed()
                .sorted(Comparator.comparingLong((Integer i) -> -lengths[i])).mapToInt(Integer::intValue).toArray();
        long[] inv = new long[n];
        long[] ord = new long[n];
        for (int i = 0; i < n; i++) {
            ord[i] = sorted[i];
            inv[sorted[i]] = i;
        }
        order = Nd4j.createFromArray(ord);
        inOrder = IntStream.range(0, n).allMatch(i -> sorted[i] == i);
        inverse = Nd4j.createFromArray(inv);
        long[] distinct = Arrays.stream(lengths).filter(l -> l > 0).distinct().sorted().toArray();
        bounds = new long[distinct.length + 1];
        System.arraycopy(distinct, 0, bounds, 1, distinct.length);
        running = Arrays.stream(lengths).filter(l -> l > 0).count();
        active = new long[distinct.length];
        for (int k = 0; k < active.length; k++) {
            long start = bounds[k];
            active[k] = Arrays.stream(lengths).filter(l -> l > start).count();
        }
    }

    /** X [T, N, I], h0 and c0 [N, H] (never null) -> {Y [T, N, H], Y_h [N, H], Y_c [N, H]}. */
    INDArray[] forward(INDArray x, INDArray h0, INDArray c0) {
        xShape = x.shape();
        DataType type = x.dataType();
        INDArray xs = gather(x, order, 1, false);
        INDArray h = gather(h0, order, 0, true);
        INDArray c = gather(c0, order, 0, true);
        INDArray y = Nd4j.zeros(type, xShape[0], xShape[1], hidden);
        for (int k = 0; k < active.length; k++) {
            long steps = bounds[k + 1] - bounds[k];
            long n = active[k];
            INDArray xk = segment(xs, k).dup('c');
            INDArray hk = rows(h, n).dup('c');
            INDArray ck = rows(c, n).dup('c');
            segmentX.add(xk);
            segmentH0.add(hk);
            segmentC0.add(ck);
            INDArray yk = Kernels.empty(type, steps, n, hidden);
            INDArray hl = Kernels.empty(type, n, hidden);
            INDArray cl = Kernels.empty(type, n, hidden);
            Kernels.exec("lstmLayer", new INDArray[] {xk, wx, wr, b, hk, ck}, new INDArray[] {yk, hl, cl}, I_ARGS,
                    new double[] {0}, B_ARGS);
            segmentY.add(yk);
            segment(y, k).assign(yk);
            rows(h, n).assign(hl);
            rows(c, n).assign(cl);
        }
        zeroEmpty(h);
        zeroEmpty(c);
        return new INDArray[] {gather(y, inverse, 1, false), gather(h, inverse, 0, false),
            gather(c, inverse, 0, false)};
    }

    /**
     * Gradients {dX [T, N, I], dWx, dWr, db, dh0 [N, H], dc0 [N, H]} from those of Y, Y_h and Y_c; padded steps
     * get zero.
     */
    INDArray[] backward(INDArray gy, INDArray gh, INDArray gc) {
        DataType type = gy.dataType();
        INDArray gys = gather(gy, order, 1, false);
        INDArray dh = gather(gh, order, 0, true);
        INDArray dc = gather(gc, order, 0, true);
        zeroEmpty(dh); // an empty sequence's final states are constant zeros
        zeroEmpty(dc);
        INDArray gx = Nd4j.zeros(type, xShape);
        INDArray gwx = Nd4j.zeros(type, wx.shape());
        INDArray gwr = Nd4j.zeros(type, wr.shape());
        INDArray gb = Nd4j.zeros(type, b.shape());
        for (int k = active.length - 1; k >= 0; k--) {
            long n = active[k];
            // Rows of dh/dc past this segment's batch belong to sequences that ended earlier: left as they are.
            INDArray[] g = segmentBackward(k, segment(gys, k).dup('c'), rows(dh, n).dup('c'), rows(dc, n).dup('c'));
            segment(gx, k).assign(g[0]);
            gwx.addi(g[1]);
            gwr.addi(g[2]);
            gb.addi(g[3]);
            rows(dh, n).assign(g[4]);
            rows(dc, n).assign(g[5]);
        }
        return new INDArray[] {gather(gx, inverse, 1, false), gwx, gwr, gb, gather(dh, inverse, 0, false),
            gather(dc, inverse, 0, false)};
    }

    /**
     * Backpropagation through time over segment k: {dX, dWx, dWr, db, dh0, dc0} from dY [S, n, H] and the
     * gradients of its last h and c [n, H].
     *
     * <p>Why not libnd4j's {@code lstmLayer_bp}: in 1.0.0-M2.1 every call leaks native memory the size of its
     * internal per-step state (z, gates, h and c over the sequence: 12–16 MB per call at T 100, N 16, H 256, never
     * reclaimed, whoever owns the outputs), so a training loop grows without bound. The gates are recomputed
     * here from the inputs and Y (two matmuls over all steps, no recurrence), c by its cheap elementwise
     * recurrence, then with Zₜ the pre-activations and ⊙ elementwise, backwards over t:
     * <pre>
     *   dhₜ = dYₜ + dZₜ₊₁·Wrᵀ            dcₜ = dcₜ₊₁ ⊙ fₜ₊₁ + dhₜ ⊙ oₜ ⊙ (1 − tanh²cₜ)
     *   dzᵢ = dcₜ ⊙ gₜ ⊙ iₜ(1 − iₜ)   dz_f = dcₜ ⊙ cₜ₋₁ ⊙ fₜ(1 − fₜ)   dz_g = dcₜ ⊙ iₜ ⊙ (1 − gₜ²)
     *   dzₒ = dhₜ ⊙ tanh(cₜ) ⊙ oₜ(1 − oₜ)
     * </pre>
     * and the weight, bias and input gradients as one matmul (or sum) each over all steps.
     */
    private INDArray[] segmentBackward(int k, INDArray gy, INDArray ghLast, INDArray gcLast) {
        INDArray x = segmentX.get(k);
        INDArray h0 = segmentH0.get(k);
        INDArray c0 = segmentC0.get(k);
        INDArray y = segmentY.get(k);
        long s = x.size(0);
        long n = x.size(1);
        long in = x.size(2);
        long hd = hidden;
        DataType type = x.dataType();
        INDArray hPrev = shiftIn(h0, y);
        INDArray x2 = x.reshape('c', s * n, in);
        INDArray hp2 = hPrev.reshape('c', s * n, hd);
        INDArray z = RecurrenceMath.mm(x2, wx, false, false);
        RecurrenceMath.mmInto(hp2, wr, z, false, false, true);
        RecurrenceMath.exec("add", z, z, b);
        // Gate-major [4, S, n, H] (libnd4j's gate order i, f, g, o), so that every elementwise call below runs on
        // contiguous memory: libnd4j's kernels take a per-element slow path on the column blocks of z (~10×).
        INDArray gates = Kernels.permute(z.reshape('c', s * n, 4, hd), 1, 0, 2).reshape('c', 4, s, n, hd);
        INDArray gi = gates.slice(0);
        INDArray gf = gates.slice(1);
        INDArray gg = gates.slice(2);
        INDArray go = gates.slice(3);
        INDArray ifGates = gates.get(NDArrayIndex.interval(0, 2), NDArrayIndex.all(), NDArrayIndex.all(),
                NDArrayIndex.all());
        RecurrenceMath.exec("sigmoid", ifGates, ifGates);
        RecurrenceMath.exec("tanh", gg, gg);
        RecurrenceMath.exec("sigmoid", go, go);
        INDArray ig = RecurrenceMath.fresh("multiply", gi, gg);
        INDArray c = Kernels.empty(type, s, n, hd);
        for (int t = 0; t < s; t++) {
            RecurrenceMath.exec("multiply", c.slice(t), gf.slice(t), t == 0 ? c0 : c.slice(t - 1));
            RecurrenceMath.exec("add", c.slice(t), c.slice(t), ig.slice(t));
        }
        INDArray tc = RecurrenceMath.exec("tanh", Kernels.empty(type, s, n, hd), c);
        // Factors of dZ that do not depend on the recurrence, for every step at once, gate-major like the gates:
        // ki = i(1 − i)·g, kf = f(1 − f)·cₜ₋₁, kg = (1 − g²)·i, ko = o(1 − o)·tanh c; and kc = (1 − tanh²c)·o.
        INDArray factors = Kernels.empty(type, 4, s, n, hd);
        sigmoidSlope(factors.slice(0), gi, gg);
        sigmoidSlope(factors.slice(1), gf, shiftIn(c0, c));
        tanhSlope(factors.slice(2), gg, gi);
        sigmoidSlope(factors.slice(3), go, tc);
        INDArray kc = tanhSlope(Kernels.empty(type, s, n, hd), tc, go);
        // Step-major [S, 4, n, H]: step t's four blocks are one contiguous [4, n, H].
        INDArray kt = Kernels.permute(factors, 1, 0, 2, 3);
        // dZ [S, n, 4H]: step t's [n, 4H] slice is what the recurrent gradient multiplies, one matmul per step.
        INDArray dZ = Kernels.empty(type, s, n, 4 * hd);
        INDArray dh = Kernels.empty(type, n, hd);
        INDArray dc = Kernels.copy(gcLast);
        INDArray tmp = Kernels.empty(type, n, hd);
        INDArray dzGateMajor = Kernels.empty(type, 4, n, hd);
        INDArray[] dzGate = {dzGateMajor.slice(0), dzGateMajor.slice(1), dzGateMajor.slice(2), dzGateMajor.slice(3)};
        for (long t = s - 1; t >= 0; t--) {
            int ti = (int) t;
            if (t == s - 1) {
                RecurrenceMath.exec("add", dh, gy.slice(ti), ghLast);
            } else {
                Kernels.assign(dh, gy.slice(ti));
                RecurrenceMath.mmInto(dZ.slice(ti + 1), wr, dh, false, true, true);
                RecurrenceMath.exec("multiply", dc, dc, gf.slice(ti + 1));
            }
            RecurrenceMath.exec("multiply", tmp, dh, kc.slice(ti));
            RecurrenceMath.exec("add", dc, dc, tmp);
            INDArray kStep = kt.slice(ti);
            for (int q = 0; q < 3; q++) {
                RecurrenceMath.exec("multiply", dzGate[q], dc, kStep.slice(q));
            }
            RecurrenceMath.exec("multiply", dzGate[3], dh, kStep.slice(3));
            Kernels.exec("permute", new INDArray[] {dzGateMajor}, new INDArray[] {dZ.slice(ti).reshape('c', n, 4, hd)},
                    new long[] {1, 0, 2}, null, null);
        }
        INDArray dc0 = RecurrenceMath.fresh("multiply", dc, gf.slice(0));
        dZ = dZ.reshape('c', s * n, 4 * hd);
        INDArray dh0 = RecurrenceMath.mm(RecurrenceMath.rows(dZ, 0, n), wr, false, true);
        INDArray dx = RecurrenceMath.mm(dZ, wx, false, true).reshape('c', s, n, in);
        INDArray dwx = RecurrenceMath.mm(x2, dZ, true, false);
        INDArray dwr = RecurrenceMath.mm(hp2, dZ, true, false);
        INDArray db = Kernels.reduceSum(Kernels.empty(type, 4 * hd), dZ, false, 0);
        return new INDArray[] {dx, dwx, dwr, db, dh0, dc0};
    }

    /** out = a(1 − a)·other: a sigmoid's slope at output a, times the factor it meets in dZ. */
    private static INDArray sigmoidSlope(INDArray out, INDArray a, INDArray other) {
        Kernels.scalar("rsub", out, a, 1.0);
        RecurrenceMath.exec("multiply", out, out, a);
        return RecurrenceMath.exec("multiply", out, out, other);
    }

    /** out = (1 − a²)·other: tanh's slope at output a, times the factor it meets in dZ. */
    private static INDArray tanhSlope(INDArray out, INDArray a, INDArray other) {
        RecurrenceMath.exec("multiply", out, a, a);
        Kernels.scalar("rsub", out, out, 1.0);
        return RecurrenceMath.exec("multiply", out, out, other);
    }

    /** [S, n, H]: {@code first} at step 0, then steps 0..S−2 of {@code seq} (the states entering each step). */
    private static INDArray shiftIn(INDArray first, INDArray seq) {
        long s = seq.size(0);
        INDArray out = Kernels.empty(seq.dataType(), seq.shape());
        out.slice(0).assign(first);
        if (s > 1) {
            out.get(NDArrayIndex.interval(1, s), NDArrayIndex.all(), NDArrayIndex.all())
                    .assign(seq.get(NDArrayIndex.interval(0, s - 1), NDArrayIndex.all(), NDArrayIndex.all()));
        }
        return out;
    }

    /** Steps of segment k, sequences of its batch prefix: a view of a [T, N, ...] array. */
    private INDArray segment(INDArray a, int k) {
        return a.get(NDArrayIndex.interval(bounds[k], bounds[k + 1]), NDArrayIndex.interval(0, active[k]),
                NDArrayIndex.all());
    }

    private void zeroEmpty(INDArray sortedStates) {
        if (running < sortedStates.size(0)) {
            sortedStates.get(NDArrayIndex.interval(running, sortedStates.size(0)), NDArrayIndex.all()).assign(0);
        }
    }

    private static INDArray rows(INDArray a, long n) {
        return a.get(NDArrayIndex.interval(0, n), NDArrayIndex.all());
    }

    /**
     * a's slices along {@code axis} in the order {@code idx}: one native gather. When the batch is already in
     * order (all lengths equal, the usual case), no gather: a itself, or a copy when the caller writes into it.
     */
    private INDArray gather(INDArray a, INDArray idx, int axis, boolean writable) {
        if (inOrder) {
            return writable ? Kernels.copy(a) : a;
        }
        INDArray out = Kernels.empty(a.dataType(), a.shape());
        Kernels.exec("gather", out, new long[] {axis}, Shape.hasDefaultStridesForShape(a) ? a : a.dup('c'), idx);
        return out;
    }
}

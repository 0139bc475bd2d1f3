package dev.dendrite.rnn.ops;

import dev.dendrite.tensor.Kernels;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
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
 * Backward runs the segments in reverse with {@code lstmLayer_bp}, handing each segment's initial-state gradients
 * to the previous segment as its last-state gradients. Exact (no masking arithmetic), and the work is the useful
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
        INDArray xs = gather(x, order, 1);
        INDArray h = gather(h0, order, 0);
        INDArray c = gather(c0, order, 0);
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
            segment(y, k).assign(yk);
            rows(h, n).assign(hl);
            rows(c, n).assign(cl);
        }
        zeroEmpty(h);
        zeroEmpty(c);
        return new INDArray[] {gather(y, inverse, 1), gather(h, inverse, 0), gather(c, inverse, 0)};
    }

    /**
     * Gradients {dX [T, N, I], dWx, dWr, db, dh0 [N, H], dc0 [N, H]} from those of Y, Y_h and Y_c; padded steps
     * get zero.
     */
    INDArray[] backward(INDArray gy, INDArray gh, INDArray gc) {
        DataType type = gy.dataType();
        INDArray gys = gather(gy, order, 1);
        INDArray dh = gather(gh, order, 0);
        INDArray dc = gather(gc, order, 0);
        zeroEmpty(dh); // an empty sequence's final states are constant zeros
        zeroEmpty(dc);
        INDArray gx = Nd4j.zeros(type, xShape);
        INDArray gwx = Nd4j.zeros(type, wx.shape());
        INDArray gwr = Nd4j.zeros(type, wr.shape());
        INDArray gb = Nd4j.zeros(type, b.shape());
        for (int k = active.length - 1; k >= 0; k--) {
            long n = active[k];
            INDArray xk = segmentX.get(k);
            INDArray dxk = Kernels.empty(type, xk.shape());
            INDArray dwx = Kernels.empty(type, wx.shape());
            INDArray dwr = Kernels.empty(type, wr.shape());
            INDArray db = Kernels.empty(type, b.shape());
            INDArray dh0 = Kernels.empty(type, n, hidden);
            INDArray dc0 = Kernels.empty(type, n, hidden);
            // Rows of dh/dc past this segment's batch belong to sequences that ended earlier: left as they are.
            Kernels.exec("lstmLayer_bp",
                    new INDArray[] {xk, wx, wr, b, segmentH0.get(k), segmentC0.get(k), segment(gys, k).dup('c'),
                        rows(dh, n).dup('c'), rows(dc, n).dup('c')},
                    new INDArray[] {dxk, dwx, dwr, db, dh0, dc0}, I_ARGS, new double[] {0}, B_ARGS);
            segment(gx, k).assign(dxk);
            gwx.addi(dwx);
            gwr.addi(dwr);
            gb.addi(db);
            rows(dh, n).assign(dh0);
            rows(dc, n).assign(dc0);
        }
        return new INDArray[] {gather(gx, inverse, 1), gwx, gwr, gb, gather(dh, inverse, 0), gather(dc, inverse, 0)};
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

    /** a's slices along {@code axis} in the order {@code idx}: one native gather. */
    private static INDArray gather(INDArray a, INDArray idx, int axis) {
        INDArray out = Kernels.empty(a.dataType(), a.shape());
        Kernels.exec("gather", out, new long[] {axis}, a.dup('c'), idx);
        return out;
    }
}

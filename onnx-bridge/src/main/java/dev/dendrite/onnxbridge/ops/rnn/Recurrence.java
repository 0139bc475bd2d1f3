package dev.dendrite.onnxbridge.ops.rnn;

import dev.dendrite.onnx.OnnxOp;
import dev.dendrite.ops.F;
import dev.dendrite.tensor.Tensor;
import java.util.Arrays;
import java.util.function.UnaryOperator;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * What RNN, GRU and LSTM share: reading and checking the inputs (X, W, R, B, sequence_lens, initial states,
 * layout, direction), computing X·Wᵀ + bias for all steps with one Gemm per direction, unrolling the cell
 * over time, masking steps past each sequence's length, and assembling Y, Y_h and Y_c. Everything is
 * composed from primitives, so gradients reach X, W, R, B and the initial states.
 */
final class Recurrence {
    private Recurrence() {}

    /**
     * One direction's weights, sliced out of the stacked inputs: {@code w} [G·H, I], {@code r} [G·H, H],
     * {@code wb} and {@code rb} [G·H] or null, {@code p} [3H] or null (LSTM peepholes).
     */
    record Direction(int index, boolean reverse, long hidden, Tensor w, Tensor r, Tensor wb, Tensor rb, Tensor p,
            UnaryOperator<Tensor>[] acts, double clip) {
        /** Activation {@code k} of the (clipped) pre-activation {@code x}. */
        Tensor act(int k, Tensor x) {
            return acts[k].apply(Double.isInfinite(clip) ? x : F.clip(x, -clip, clip));
        }
    }

    /** One kind of cell. */
    interface Cell {
        /** The bias added to X·Wᵀ once for all steps (null for none). */
        Tensor inputBias(Tensor wb, Tensor rb);

        /** Prepares one direction (splitting its weights once); the result computes one step. */
        Step start(Direction d);
    }

    /** (X_t·Wᵀ + input bias [B, G·H], states [B, H] each) -> the new states; state 0 is H. */
    interface Step {
        Tensor[] apply(Tensor xw, Tensor[] states);
    }

    /**
     * Runs the node. {@code states} is 1 (H) or 2 (H and C, from inputs 5 and 6); returns Y, Y_h (and
     * Y_c), as many as the node declares.
     */
    static Tensor[] run(OnnxOp op, Tensor[] in, int gates, int states, String[] defaultActs, Cell cell) {
        String direction = op.attr("direction", "forward");
        boolean[] reverse = switch (direction) {
            case "forward" -> new boolean[] {false};
            case "reverse" -> new boolean[] {true};
            case "bidirectional" -> new boolean[] {false, true};
            default -> throw op.error("direction '" + direction + "' is not supported");
        };
        int dirs = reverse.length;
        boolean batchFirst = op.flag("layout", false);
        if (op.outputCount() > states + 1) {
            throw op.error("declares " + op.outputCount() + " outputs, at most " + (states + 1) + " allowed");
        }
        Tensor x = op.input(in, 0, "X");
        Tensor w = op.input(in, 1, "W");
        Tensor r = op.input(in, 2, "R");
        if (!x.dtype().isFPType()) {
            throw op.error("X must be floating-point, got " + x.dtype());
        }
        rank(op, x, 3, "X");
        rank(op, w, 3, "W");
        rank(op, r, 3, "R");
        long[] xs = x.shape();
        long seq = batchFirst ? xs[1] : xs[0];
        long batch = batchFirst ? xs[0] : xs[1];
        long input = xs[2];
        long hidden = op.has("hidden_size") ? op.attr("hidden_size", 0L) : r.size(2);
        if (hidden <= 0 || hidden != r.size(2)) {
            throw op.error("hidden_size " + hidden + " does not match R " + Arrays.toString(r.shape())
                    + " (expected [num_directions, " + gates + "*hidden_size, hidden_size])");
        }
        long gh = gates * hidden;
        expect(op, x, w, "W", dirs, gh, input);
        expect(op, x, r, "R", dirs, gh, hidden);
        if (seq == 0 || batch == 0 || input == 0) {
            throw op.error("empty X " + Arrays.toString(xs) + " is not supported");
        }
        if (batchFirst) {
            x = F.permute(x, 1, 0, 2);
        }
        Tensor b = optional(op, in, 3, x, "B", dirs, 2 * gh);
        long[] lens = lengths(op, in, seq, batch);
        Tensor[] init = new Tensor[states];
        for (int s = 0; s < states; s++) {
            String what = s == 0 ? "initial_h" : "initial_c";
            init[s] = batchFirst ? optional(op, in, 5 + s, x, what, batch, dirs, hidden)
                    : optional(op, in, 5 + s, x, what, dirs, batch, hidden);
            if (init[s] != null && batchFirst) {
                init[s] = F.permute(init[s], 1, 0, 2);
            }
        }
        Tensor p = states == 2 ? optional(op, in, 7, x, "P", dirs, 3 * hidden) : null;
        double clip = Double.POSITIVE_INFINITY;
        if (op.has("clip")) {
            clip = op.attr("clip", 0.0);
            if (!(clip > 0)) {
                throw op.error("clip must be positive, got " + clip);
            }
        }
        UnaryOperator<Tensor>[][] acts = Activation.parse(op, dirs, defaultActs);

        Tensor x2 = F.reshape(x, seq * batch, input);
        Tensor[] ws = perDirection(w, dirs);
        Tensor[] rs = perDirection(r, dirs);
        Tensor[] bs = b == null ? null : perDirection(b, dirs);
        Tensor[] ps = p == null ? null : perDirection(p, dirs);
        Tensor[][] inits = new Tensor[states][];
        for (int s = 0; s < states; s++) {
            inits[s] = init[s] == null ? null : perDirection(init[s], dirs);
        }
        Tensor[] ys = new Tensor[dirs];
        Tensor[][] finals = new Tensor[states][dirs];
        for (int d = 0; d < dirs; d++) {
            Tensor wb = null;
            Tensor rb = null;
            if (bs != null) {
                Tensor[] halves = F.split(bs[d], 0, gh, gh);
                wb = halves[0];
                rb = halves[1];
            }
            Direction dir = new Direction(d, reverse[d], hidden, ws[d], rs[d], wb, rb, ps == null ? null : ps[d],
                    acts[d], clip);
            Tensor[] st = new Tensor[states];
            for (int s = 0; s < states; s++) {
                st[s] = inits[s] == null ? Tensor.of(Nd4j.zeros(x.dtype(), batch, hidden)) : inits[s][d];
            }
            Tensor xw = F.gemm(x2, ws[d], cell.inputBias(wb, rb), 1.0, 1.0, false, true);
            ys[d] = unroll(cell.start(dir), xw, st, seq, batch, reverse[d], lens);
            Tensor ran = nonEmpty(lens);
            for (int s = 0; s < states; s++) {
                // ONNX Runtime reports zeros, not the initial state, as the final state of an empty sequence.
                Tensor last = ran == null ? st[s] : F.where(ran, st[s], F.scalar(st[s], 0));
                finals[s][d] = F.reshape(last, 1, batch, hidden);
            }
        }
        Tensor[] out = new Tensor[op.outputCount()];
        if (out.length > 0) {
            Tensor y = dirs == 1 ? ys[0] : F.concat(1, ys);
            out[0] = batchFirst ? F.permute(y, 2, 0, 1, 3) : y;
        }
        for (int s = 0; s < states && s + 1 < out.length; s++) {
            Tensor f = dirs == 1 ? finals[s][0] : F.concat(0, finals[s]);
            out[s + 1] = batchFirst ? F.permute(f, 1, 0, 2) : f;
        }
        return out;
    }

    /**
     * Runs the steps in time order (or reversed), leaving the final states in {@code st}; returns Y of
     * this direction, [T, 1, B, H]. Past a sequence's length a state holds and its output is zero.
     */
    private static Tensor unroll(Step step, Tensor xw, Tensor[] st, long seq, long batch, boolean reverse,
            long[] lens) {
        long[] sizes = new long[(int) seq];
        Arrays.fill(sizes, batch);
        Tensor[] xt = seq == 1 ? new Tensor[] {xw} : F.split(xw, 0, sizes);
        Tensor[] y = new Tensor[(int) seq];
        Tensor zero = F.scalar(xw, 0);
        for (int k = 0; k < seq; k++) {
            int t = reverse ? (int) seq - 1 - k : k;
            Tensor[] next = step.apply(xt[t], st);
            Tensor h = next[0];
            Tensor mask = mask(lens, t);
            if (mask != null) {
                for (int s = 0; s < st.length; s++) {
                    next[s] = F.where(mask, next[s], st[s]);
                }
                h = F.where(mask, h, zero);
            }
            System.arraycopy(next, 0, st, 0, st.length);
            y[t] = F.unsqueeze(h, 0, 1);
        }
        return seq == 1 ? y[0] : F.concat(0, y);
    }

    /** [B, 1] true where step t is within the sequence; null when every sequence reaches t. */
    private static Tensor mask(long[] lens, int t) {
        if (lens == null) {
            return null;
        }
        boolean[] m = new boolean[lens.length];
        boolean all = true;
        for (int i = 0; i < m.length; i++) {
            m[i] = t < lens[i];
            all &= m[i];
        }
        return all ? null : Tensor.of(Nd4j.createFromArray(m).reshape(lens.length, 1));
    }

    /** [B, 1] true where the sequence has at least one step; null when none is empty. */
    private static Tensor nonEmpty(long[] lens) {
        if (lens == null || Arrays.stream(lens).allMatch(l -> l > 0)) {
            return null;
        }
        boolean[] m = new boolean[lens.length];
        for (int i = 0; i < m.length; i++) {
            m[i] = lens[i] > 0;
        }
        return Tensor.of(Nd4j.createFromArray(m).reshape(lens.length, 1));
    }

    /** sequence_lens (input 4) checked to lie in [0, T]; null when absent or all full length. */
    private static long[] lengths(OnnxOp op, Tensor[] in, long seq, long batch) {
        if (!OnnxOp.present(in, 4)) {
            return null;
        }
        long[] lens = op.longs(in, 4, "sequence_lens");
        if (lens.length != batch || in[4].rank() != 1) {
            throw op.error("sequence_lens must have shape [" + batch + "], got " + Arrays.toString(in[4].shape()));
        }
        boolean full = true;
        for (long l : lens) {
            if (l < 0 || l > seq) {
                throw op.error("sequence_lens holds " + l + ", outside [0, " + seq + "]");
            }
            full &= l == seq;
        }
        return full ? null : lens;
    }

    /** Splits the leading num_directions axis off. */
    private static Tensor[] perDirection(Tensor t, int dirs) {
        if (dirs == 1) {
            return new Tensor[] {F.squeeze(t, 0)};
        }
        Tensor[] parts = F.split(t, 0, 1, 1);
        return new Tensor[] {F.squeeze(parts[0], 0), F.squeeze(parts[1], 0)};
    }

    private static Tensor optional(OnnxOp op, Tensor[] in, int i, Tensor x, String what, long... shape) {
        if (!OnnxOp.present(in, i)) {
            return null;
        }
        sameType(op, x, in[i], what);
        if (!Arrays.equals(in[i].shape(), shape)) {
            throw op.error(what + " must have shape " + Arrays.toString(shape) + ", got "
                    + Arrays.toString(in[i].shape()));
        }
        return in[i];
    }

    private static void expect(OnnxOp op, Tensor x, Tensor t, String what, long... shape) {
        sameType(op, x, t, what);
        if (!Arrays.equals(t.shape(), shape)) {
            throw op.error(what + " must have shape " + Arrays.toString(shape) + " (num_directions, gates x "
                    + "hidden_size, " + (what.equals("W") ? "input_size" : "hidden_size") + "), got "
                    + Arrays.toString(t.shape()));
        }
    }

    private static void sameType(OnnxOp op, Tensor x, Tensor t, String what) {
        if (t.dtype() != x.dtype()) {
            throw op.error(what + " must be " + x.dtype() + " like X, got " + t.dtype());
        }
    }

    private static void rank(OnnxOp op, Tensor t, int rank, String what) {
        if (t.rank() != rank) {
            throw op.error(what + " must have rank " + rank + ", got " + Arrays.toString(t.shape()));
        }
    }

    /** a + b where either may be null. */
    static Tensor sum(Tensor a, Tensor b) {
        return a == null ? b : b == null ? a : F.add(a, b);
    }
}

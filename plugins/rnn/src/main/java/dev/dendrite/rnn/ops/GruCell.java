package dev.dendrite.rnn.ops;

import static dev.dendrite.rnn.ops.RecurrenceMath.exec;
import static dev.dendrite.rnn.ops.RecurrenceMath.fresh;
import static dev.dendrite.rnn.ops.RecurrenceMath.rows;
import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One direction of ONNX's GRU with linear_before_reset = 1 (PyTorch's GRU), gates in ONNX order z, r, h:
 * <pre>
 *   z = σ(Xt·Wzᵀ + Wbz + Ht−1·Rzᵀ + Rbz)      r = σ(Xt·Wrᵀ + Wbr + Ht−1·Rrᵀ + Rbr)
 *   ñ = tanh(Xt·Whᵀ + Wbh + r ⊙ (Ht−1·Rhᵀ + Rbh))
 *   Ht = (1 − z) ⊙ ñ + z ⊙ Ht−1 = ñ + z ⊙ (Ht−1 − ñ)
 * </pre>
 * With a mask m, Ht = Ht−1 + m ⊙ (Ĥt − Ht−1) holds the state through a sequence's padding. Arrays are
 * feature-major ({@link RecurrenceCell}): per step one GEMM and 8 elementwise calls on contiguous row blocks.
 *
 * <p>Backward: every factor of the step gradients that does not depend on dHt (σ', tanh', Ht−1 − ñ, the mask)
 * is computed for all steps at once before the loop, so each step is 6 elementwise calls and one GEMM:
 * <pre>
 *   dañ = dHt ⊙ m(1 − z)(1 − ñ²)       daz = dHt ⊙ m(Ht−1 − ñ)z(1 − z)       dar = dañ ⊙ (Ht−1·Rhᵀ + Rbh)r(1 − r)
 *   dHt−1 = dHt ⊙ (1 − m(1 − z)) + [daz, dar, dañ ⊙ r]·R
 * </pre>
 */
final class GruCell implements RecurrenceCell {
    private final long h;

    private INDArray mask;
    private INDArray r;
    /** [T + 1, H, N]: h0, H0, ..., HT−1. */
    private INDArray states;
    /** [T, 2H, N]: z and r after the sigmoid. */
    private INDArray zr;
    /** [T, H, N]: ñ after the tanh. */
    private INDArray cand;
    /** [T, 3H, N]: R·Ht−1ᵀ + Rb; its last block is what r multiplies. */
    private INDArray hr;

    GruCell(long hidden) {
        this.h = hidden;
    }

    @Override
    public INDArray[] forward(INDArray xw, INDArray r, INDArray rb, INDArray h0, INDArray mask) {
        this.mask = mask;
        this.r = r;
        long steps = xw.size(0);
        long n = xw.size(2);
        states = Nd4j.createUninitialized(xw.dataType(), steps + 1, h, n);
        zr = Nd4j.createUninitialized(xw.dataType(), steps, 2 * h, n);
        cand = Nd4j.createUninitialized(xw.dataType(), steps, h, n);
        // Rb preloaded for every step: the step's GEMM accumulates R·Ht−1ᵀ onto it.
        hr = Nd4j.zeros(xw.dataType(), steps, 3 * h, n);
        exec("add", hr, hr, rb);
        states.slice(0).assign(h0);
        for (int t = 0; t < steps; t++) {
            INDArray prev = states.slice(t);
            INDArray next = states.slice(t + 1);
            INDArray xt = xw.slice(t);
            INDArray hrT = hr.slice(t);
            INDArray gates = zr.slice(t);
            INDArray nT = cand.slice(t);
            RecurrenceMath.mmInto(r, prev, hrT, false, false, true);
            exec("sigmoid", gates, exec("add", gates, rows(xt, 0, 2 * h), rows(hrT, 0, 2 * h)));
            exec("multiply", nT, rows(gates, h, 2 * h), rows(hrT, 2 * h, 3 * h));
            exec("tanh", nT, exec("add", nT, nT, rows(xt, 2 * h, 3 * h)));
            exec("subtract", next, prev, nT);
            exec("add", next, exec("multiply", next, next, rows(gates, 0, h)), nT);
            if (mask != null) {
                exec("subtract", next, next, prev);
                exec("add", next, exec("multiply", next, next, mask.slice(t)), prev);
            }
        }
        INDArray y = states.get(interval(1, steps + 1)).dup('c');
        if (mask != null) {
            exec("multiply", y, y, mask);
        }
        return new INDArray[] {y, states.slice((int) steps).dup('c')};
    }

    @Override
    public INDArray[] backward(INDArray dy, INDArray dLast) {
        long steps = dy.size(0);
        long n = dy.size(2);
        // One strided pass each to split z and r out of zr: the loop below then reads contiguous blocks only.
        INDArray z = zr.get(all(), interval(0, h), all()).dup('c');
        INDArray reset = zr.get(all(), interval(h, 2 * h), all()).dup('c');
        INDArray prev = states.get(interval(0, steps));
        // In place where possible: each fresh [T, H, N] array costs an allocation that JavaCPP also accounts for.
        INDArray oneMinusZ = RecurrenceMath.oneMinus(z);
        INDArray candFactor = RecurrenceMath.oneMinusInPlace(fresh("multiply", cand, cand));
        exec("multiply", candFactor, candFactor, oneMinusZ);
        INDArray zFactor = fresh("subtract", prev, cand);
        exec("multiply", zFactor, exec("multiply", zFactor, zFactor, z), oneMinusZ);
        INDArray rFactor = RecurrenceMath.oneMinus(reset);
        exec("multiply", rFactor, exec("multiply", rFactor, rFactor, reset),
                hr.get(all(), interval(2 * h, 3 * h), all()));
        INDArray keep = z;
        INDArray dyMasked = dy;
        if (mask != null) {
            exec("multiply", candFactor, candFactor, mask);
            exec("multiply", zFactor, zFactor, mask);
            keep = RecurrenceMath.oneMinusInPlace(exec("multiply", oneMinusZ, oneMinusZ, mask));
            dyMasked = fresh("multiply", dy, mask);
        }
        INDArray dxw = Nd4j.createUninitialized(dy.dataType(), steps, 3 * h, n);
        INDArray dhr = Nd4j.createUninitialized(dy.dataType(), steps, 3 * h, n);
        INDArray dh = dLast.dup('c');
        // dHt−1 is written into whichever of two buffers does not hold dHt.
        INDArray spare = Nd4j.createUninitialized(dy.dataType(), h, n);
        for (int t = (int) steps - 1; t >= 0; t--) {
            exec("add", dh, dh, dyMasked.slice(t));
            INDArray dhrT = dhr.slice(t);
            INDArray daN = exec("multiply", rows(dxw.slice(t), 2 * h, 3 * h), dh, candFactor.slice(t));
            exec("multiply", rows(dhrT, 0, h), dh, zFactor.slice(t));
            exec("multiply", rows(dhrT, h, 2 * h), daN, rFactor.slice(t));
            exec("multiply", rows(dhrT, 2 * h, 3 * h), daN, reset.slice(t));
            INDArray next = exec("multiply", spare, dh, keep.slice(t));
            spare = dh;
            dh = RecurrenceMath.mmInto(r, dhrT, next, true, false, true);
        }
        // The z and r pre-activations get the same gradient through X·Wᵀ as through Ht−1·Rᵀ.
        dxw.get(all(), interval(0, 2 * h), all()).assign(dhr.get(all(), interval(0, 2 * h), all()));
        return new INDArray[] {dxw, dhr, dh};
    }

    @Override
    public INDArray previousStates() {
        return states.get(interval(0, states.size(0) - 1));
    }
}

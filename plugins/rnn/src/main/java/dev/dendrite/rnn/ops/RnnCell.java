package dev.dendrite.rnn.ops;

import static dev.dendrite.rnn.ops.RecurrenceMath.exec;
import static dev.dendrite.rnn.ops.RecurrenceMath.fresh;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;

import dev.dendrite.tensor.Kernels;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * One direction of ONNX's RNN (PyTorch's nn.RNN): Ht = f(Xt·Wᵀ + Wb + Ht−1·Rᵀ + Rb), f = tanh or relu.
 * With a mask m, Ht = Ht−1 + m ⊙ (f(...) − Ht−1) holds the state through a sequence's padding. Feature-major
 * ({@link RecurrenceCell}). Backward per step: da = dHt ⊙ m f', dHt−1 = dHt ⊙ (1 − m) + Rᵀ·da, with m f'
 * computed for all steps at once.
 */
final class RnnCell implements RecurrenceCell {
    private final boolean relu;

    private INDArray mask;
    private INDArray r;
    /** [T + 1, H, N]: h0, H0, ..., HT−1. */
    private INDArray states;
    /** [T, H, N]: f(...) of every step, from which f' is read. */
    private INDArray act;

    /** @param relu f = relu, else tanh */
    RnnCell(boolean relu) {
        this.relu = relu;
    }

    @Override
    public INDArray[] forward(INDArray xw, INDArray r, INDArray rb, INDArray h0, INDArray mask) {
        this.mask = mask;
        this.r = r;
        long steps = xw.size(0);
        long n = xw.size(2);
        long h = r.size(1);
        states = Nd4j.createUninitialized(xw.dataType(), steps + 1, h, n);
        // Xt·Wᵀ + Wb + Rb for every step; each step's GEMM accumulates R·Ht−1ᵀ onto it.
        act = fresh("add", xw, rb);
        states.slice(0).assign(h0);
        for (int t = 0; t < steps; t++) {
            INDArray prev = states.slice(t);
            INDArray next = states.slice(t + 1);
            INDArray a = RecurrenceMath.mmInto(r, prev, act.slice(t), false, false, true);
            if (relu) {
                // tArg 0: the cutoff below which relu gives 0.
                Kernels.exec("relu", new INDArray[] {a}, new INDArray[] {a}, null, new double[] {0.0}, null);
            } else {
                exec("tanh", a, a);
            }
            if (mask != null) {
                exec("subtract", next, a, prev);
                exec("add", next, exec("multiply", next, next, mask.slice(t)), prev);
            } else {
                next.assign(a);
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
        long h = dy.size(1);
        long n = dy.size(2);
        // f' read from the output: tanh' = 1 − y², relu' = [y > 0].
        INDArray slope = relu ? Transforms.step(act, true)
                : RecurrenceMath.oneMinusInPlace(fresh("multiply", act, act));
        INDArray keep = null;
        INDArray dyMasked = dy;
        if (mask != null) {
            exec("multiply", slope, slope, mask);
            keep = RecurrenceMath.oneMinus(mask);
            dyMasked = fresh("multiply", dy, mask);
        }
        INDArray da = Nd4j.createUninitialized(dy.dataType(), dy.shape());
        INDArray dh = dLast.dup('c');
        // dHt−1 is written into whichever of two buffers does not hold dHt.
        INDArray spare = Nd4j.createUninitialized(dy.dataType(), h, n);
        for (int t = (int) steps - 1; t >= 0; t--) {
            exec("add", dh, dh, dyMasked.slice(t));
            INDArray daT = exec("multiply", da.slice(t), dh, slope.slice(t));
            INDArray next = spare;
            if (keep != null) {
                exec("multiply", next, dh, keep.slice(t));
            }
            spare = dh;
            dh = RecurrenceMath.mmInto(r, daT, next, true, false, keep != null);
        }
        return new INDArray[] {da, da, dh};
    }

    @Override
    public INDArray previousStates() {
        return states.get(interval(0, states.size(0) - 1));
    }
}

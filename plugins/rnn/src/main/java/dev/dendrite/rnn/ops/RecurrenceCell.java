package dev.dendrite.rnn.ops;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One direction of a recurrence, always run forward in time over steps t = 0..T−1 (the reverse direction is fed
 * its time-reversed input). Input projections come precomputed for all steps; the cell does the per-step GEMM with
 * R and the gate arithmetic, and keeps what forward computed for its backward (one instance per call).
 *
 * <p>Cells work feature-major: a step's state is Hᵀ [H, N] and its gate pre-activations R·Hᵀ [G·H, N], so every
 * gate is a contiguous block of rows. libnd4j's elementwise kernels run ~10× slower on the strided column views
 * that the batch-major [N, G·H] layout would need (64 µs against 6.5 µs for a [32, 128] multiply here).
 */
interface RecurrenceCell {
    /**
     * @param xw [T, G·H, N]: (Xt·Wᵀ + Wb)ᵀ for every step (one GEMM over all steps)
     * @param r [G·H, H]; @param rb [G·H, 1]; @param h0 [H, N]
     * @param mask [T, 1, N] 0/1 (1 inside the sequence), or null when every sequence has all T steps
     * @return {Yᵀ per step [T, H, N] (0 where masked), the last state [H, N] (held through masked steps)}
     */
    INDArray[] forward(INDArray xw, INDArray r, INDArray rb, INDArray h0, INDArray mask);

    /**
     * Back-propagation through time.
     *
     * @param dy [T, H, N] gradient of Yᵀ; @param dLast [H, N] gradient of the last state
     * @return {dXW [T, G·H, N] (gradient of the input projections), dHR [T, G·H, N] (gradient of R·Ht−1ᵀ + Rb),
     *     dh0 [H, N]}
     */
    INDArray[] backward(INDArray dy, INDArray dLast);

    /** [T, H, N]: the state each step started from (H−1 = h0), the right operand of dR = Σt dHRt·Ht−1. */
    INDArray previousStates();
}

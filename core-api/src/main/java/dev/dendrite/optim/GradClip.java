package dev.dendrite.optim;

import dev.dendrite.tensor.Tensor;

/**
 * Gradient clipping by global norm (Pascanu et al. 2013; PyTorch's {@code clip_grad_norm_}): when the L2 norm
 * of all gradients together exceeds {@code maxNorm}, every gradient is scaled by maxNorm / norm, so the update
 * keeps its direction. Recurrent networks need it against exploding gradients through time.
 */
public final class GradClip {
    private GradClip() {}

    /**
     * Clips in place (between {@code backward()} and {@code optimizer.step()}).
     *
     * @return the global norm before clipping; NaN or infinity when a gradient is non-finite (then nothing is
     *     scaled and the caller decides: a NaN loss check usually stops the run first)
     */
    public static double clipNorm(Iterable<Tensor> parameters, double maxNorm) {
        if (!(maxNorm > 0)) {
            throw new IllegalArgumentException("maxNorm must be positive, got " + maxNorm);
        }
        double sumSquares = 0;
        for (Tensor p : parameters) {
            if (p.grad() != null) {
                double n = p.grad().norm2Number().doubleValue();
                sumSquares += n * n;
            }
        }
        double norm = Math.sqrt(sumSquares);
        if (Double.isFinite(norm) && norm > maxNorm) {
            double factor = maxNorm / (norm + 1e-6);
            for (Tensor p : parameters) {
                p.scaleGrad(factor);
            }
        }
        return norm;
    }
}

package dev.dendrite.kernel.layers;

import dev.dendrite.tensor.ShapeException;
import dev.dendrite.tensor.Shapes;
import dev.dendrite.tensor.Tensor;

/** The configuration and input checks the kernel layers share. */
final class Checks {
    private Checks() {}

    /** Both sizes must be positive: "rbf: in and centres must be positive, got in=0, centres=3". */
    static void positive(String id, long in, String what, long size) {
        if (in <= 0 || size <= 0) {
            throw new ShapeException(id + ": in and " + what + " must be positive, got in=" + in + ", " + what + "="
                    + size);
        }
    }

    /** The Gaussian kernel's γ: as configured, or 1/in (the scale of ‖x−y‖² between unit-variance vectors). */
    static double gamma(String id, Double configured, long in) {
        double gamma = configured == null ? 1.0 / in : configured;
        if (!(gamma > 0) || Double.isInfinite(gamma)) {
            throw new ShapeException(id + ": gamma must be positive and finite, got " + gamma);
        }
        return gamma;
    }

    /** The layers take [batch, in]. */
    static void input(Tensor x, long in) {
        if (x.rank() != 2 || x.size(1) != in) {
            throw new ShapeException("expected input [batch, " + in + "], got " + Shapes.str(x.shape()));
        }
    }
}

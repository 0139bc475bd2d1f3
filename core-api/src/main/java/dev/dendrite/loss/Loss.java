package dev.dendrite.loss;

import dev.dendrite.tensor.Tensor;

/** A training objective: a scalar from a prediction and a target. */
public interface Loss {
    /** The provider id, for messages. */
    String kind();

    /** The loss as a scalar tensor, built from primitives so backward follows. */
    Tensor compute(Tensor prediction, Tensor target);

    /**
     * {@link #compute}, refusing a NaN or infinite result: silent garbage would otherwise reach every
     * parameter on the next optimizer step.
     */
    default Tensor apply(Tensor prediction, Tensor target) {
        return requireFinite(compute(prediction, target), prediction, target);
    }

    /** Returns {@code loss}, or throws {@link NonFiniteLossException} when it is NaN or infinite. */
    default Tensor requireFinite(Tensor loss, Tensor prediction, Tensor target) {
        double v = loss.item();
        if (!Double.isFinite(v)) {
            throw new NonFiniteLossException(kind(), v, NonFiniteLossException.describe(prediction, target));
        }
        return loss;
    }
}

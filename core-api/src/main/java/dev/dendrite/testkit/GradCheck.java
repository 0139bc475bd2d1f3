package dev.dendrite.testkit;

import dev.dendrite.ops.F;
import dev.dendrite.random.Rng;
import dev.dendrite.nn.Init;
import dev.dendrite.tensor.GradMode;
import dev.dendrite.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Central finite differences in float64 against backward. The scalar checked is L = Σ y ⊙ R with a fixed
 * random R, so every output element contributes with its own weight (a plain sum would hide errors that
 * cancel, such as softmax's gradient, which sums to zero).
 *
 * <p>Each element's error is |analytic − numeric| / max(|analytic|, |numeric|, 1e-3): relative where the
 * gradient is large, absolute below 1e-3, where float64 rounding in the difference quotient dominates.
 * A NaN or infinite value, analytic or numeric, fails the check at once, naming its index.
 */
public final class GradCheck {
    public static final double TOLERANCE = 1e-6;
    private static final double STEP = 1e-6;
    private static final double FLOOR = 1e-3;

    private GradCheck() {}

    /** The worst error of each leaf, and the place it occurred. */
    public record Result(Map<String, Double> maxError, Map<String, String> where) {
        public double worst() {
            return maxError.values().stream().mapToDouble(Double::doubleValue).max().orElse(0);
        }
    }

    /**
     * Checks d(forward)/d(leaf) for every leaf; {@code forward} must read the leaves' current data and be
     * deterministic. Fails with an {@link AssertionError} naming the leaf, index and both values.
     */
    public static Result check(String label, Map<String, Tensor> leaves, Supplier<Tensor> forward) {
        return check(label, leaves, forward, TOLERANCE);
    }

    public static Result check(String label, Map<String, Tensor> leaves, Supplier<Tensor> forward, double tol) {
        for (Map.Entry<String, Tensor> e : leaves.entrySet()) {
            if (e.getValue().dtype() != DataType.DOUBLE || !e.getValue().requiresGrad() || !e.getValue().isLeaf()) {
                throw new IllegalArgumentException(label + ": leaf '" + e.getKey()
                        + "' must be a float64 tensor that requires a gradient");
            }
            e.getValue().zeroGrad();
        }
        Tensor y = forward.get();
        INDArray r = Init.normal(new Rng(1234), DataType.DOUBLE, 0, 1, y.shape());
        Tensor loss = F.sum(F.mul(y, Tensor.of(r)), false);
        loss.backward();
        Map<String, Double> maxError = new LinkedHashMap<>();
        Map<String, String> where = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : leaves.entrySet()) {
            INDArray data = e.getValue().data();
            INDArray analytic = e.getValue().grad();
            if (analytic == null) {
                throw new AssertionError(label + ": no gradient reached '" + e.getKey() + "'");
            }
            INDArray grad = analytic.dup('c');
            double worst = 0;
            String at = "-";
            for (long i = 0; i < data.length(); i++) {
                double orig = data.getDouble(i);
                data.putScalar(i, orig + STEP);
                INDArray plus = evaluate(forward);
                data.putScalar(i, orig - STEP);
                INDArray minus = evaluate(forward);
                data.putScalar(i, orig);
                // Σ (y₊ − y₋)·R rather than Σ y₊R − Σ y₋R: subtracting two large sums would cost the
                // difference quotient the rounding error of the whole loss.
                double numeric = plus.subi(minus).muli(r).sumNumber().doubleValue() / (2 * STEP);
                double a = grad.getDouble(i);
                // A NaN would slip past "err > worst" (every comparison with NaN is false) and be
                // forgotten at the next finite error: refuse it here, where the index is known.
                if (!Double.isFinite(a) || !Double.isFinite(numeric)) {
                    throw new AssertionError(label + ": gradient of '" + e.getKey() + "' is not finite at flat index "
                            + i + ": analytic " + a + ", numeric " + numeric);
                }
                double err = Math.abs(a - numeric) / Math.max(FLOOR, Math.max(Math.abs(a), Math.abs(numeric)));
                if (err > worst) {
                    worst = err;
                    at = "flat index " + i + ": analytic " + a + ", numeric " + numeric;
                }
            }
            maxError.put(e.getKey(), worst);
            where.put(e.getKey(), at);
            if (worst > tol) {
                throw new AssertionError(label + ": gradient of '" + e.getKey() + "' disagrees with finite differences,"
                        + " relative error " + worst + " > " + tol + " at " + at);
            }
        }
        return new Result(maxError, where);
    }

    private static INDArray evaluate(Supplier<Tensor> forward) {
        try (var off = GradMode.off()) {
            return forward.get().data().dup();
        }
    }
}

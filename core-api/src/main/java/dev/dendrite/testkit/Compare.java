package dev.dendrite.testkit;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The kit's array comparisons, which never let a NaN or an infinity through. ND4J's {@code amaxNumber()}
 * skips a NaN anywhere but at index 0 ({@code [1, NaN, 2]} gives 2), so {@code a.sub(b).amaxNumber() <= tol}
 * passes on garbage; and {@code INDArray.equals} compares within a tolerance, so it cannot prove determinism.
 * Every check here fails with an {@link AssertionError} that names the array and the flat index (C order).
 */
public final class Compare {
    private Compare() {}

    /**
     * max |actual − expected|, in float64, after checking that both have the same shape and that every
     * value of both is finite. {@code what} names the comparison in the failure.
     */
    public static double maxAbsDiff(String what, INDArray actual, INDArray expected) {
        sameShape(what, actual, expected);
        double[] a = values(actual);
        double[] e = values(expected);
        requireFinite(what + " (actual)", a);
        requireFinite(what + " (expected)", e);
        double worst = 0;
        for (int i = 0; i < a.length; i++) {
            worst = Math.max(worst, Math.abs(a[i] - e[i]));
        }
        return worst;
    }

    /** {@link #maxAbsDiff} divided by max |expected| (at least {@code 1e-12}): a difference at the tensor's scale. */
    public static double relDiff(String what, INDArray actual, INDArray expected) {
        double diff = maxAbsDiff(what, actual, expected);
        return diff / Math.max(maxAbs(what, expected), 1e-12);
    }

    /** Fails unless every value is finite and {@link #maxAbsDiff} is at most {@code tolerance}. */
    public static void assertClose(String what, INDArray actual, INDArray expected, double tolerance) {
        double diff = maxAbsDiff(what, actual, expected);
        if (!(diff <= tolerance)) {
            throw new AssertionError(what + ": max abs difference " + diff + " > " + tolerance);
        }
    }

    /** max |x| over a finite array (0 for an empty one). */
    public static double maxAbs(String what, INDArray x) {
        double[] v = values(x);
        requireFinite(what, v);
        double m = 0;
        for (double d : v) {
            m = Math.max(m, Math.abs(d));
        }
        return m;
    }

    /** Fails at the first NaN or infinity, naming its flat index and value. */
    public static void assertFinite(String what, INDArray x) {
        requireFinite(what, values(x));
    }

    /**
     * Fails unless both arrays have the same dtype, shape and bit pattern in every element: what "the same
     * seed gives the same result" means (a NaN equals a NaN of the same bits; 0.0 and -0.0 differ).
     */
    public static void assertBitEqual(String what, INDArray actual, INDArray expected) {
        if (actual.dataType() != expected.dataType()) {
            throw new AssertionError(what + ": dtype " + actual.dataType() + " vs " + expected.dataType());
        }
        sameShape(what, actual, expected);
        double[] a = values(actual);
        double[] e = values(expected);
        for (int i = 0; i < a.length; i++) {
            // Exact in float64 for every dtype ND4J stores (float32/16 and integers up to 2^53 widen exactly).
            if (Double.doubleToRawLongBits(a[i]) != Double.doubleToRawLongBits(e[i])) {
                throw new AssertionError(what + ": not bit-identical at flat index " + i + ": " + a[i] + " vs " + e[i]);
            }
        }
    }

    private static void sameShape(String what, INDArray actual, INDArray expected) {
        if (!Arrays.equals(actual.shape(), expected.shape())) {
            throw new AssertionError(what + ": shape " + Arrays.toString(actual.shape()) + ", expected "
                    + Arrays.toString(expected.shape()));
        }
    }

    private static void requireFinite(String what, double[] v) {
        for (int i = 0; i < v.length; i++) {
            if (!Double.isFinite(v[i])) {
                throw new AssertionError(what + ": non-finite value " + v[i] + " at flat index " + i);
            }
        }
    }

    /** The values in C order as float64 (a view or a strided array is read as its logical elements). */
    private static double[] values(INDArray x) {
        if (x.length() == 0) {
            return new double[0];
        }
        INDArray d = x.dataType() == DataType.DOUBLE ? x : x.castTo(DataType.DOUBLE);
        return d.dup('c').reshape(d.length()).toDoubleVector();
    }
}

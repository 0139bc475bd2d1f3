package dev.dendrite.tensor;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Exact equality of two arrays: dtype, shape and every byte of their elements in C order. */
final class Bits {
    private Bits() {}

    static boolean same(INDArray a, INDArray b) {
        if (a.dataType() != b.dataType() || !Arrays.equals(a.shape(), b.shape())) {
            return false;
        }
        if (a.isEmpty() || a.length() == 0) {
            return true;
        }
        return Arrays.equals(bytes(a), bytes(b));
    }

    /** How two arrays of one shape differ, for a message: elements that differ and the largest difference. */
    static String difference(INDArray a, INDArray b) {
        if (!Arrays.equals(a.shape(), b.shape()) || a.dataType() != b.dataType()) {
            return a.dataType() + Arrays.toString(a.shape()) + " vs " + b.dataType() + Arrays.toString(b.shape());
        }
        double[] x = a.castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).dup('c').reshape(a.length()).toDoubleVector();
        double[] y = b.castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).dup('c').reshape(b.length()).toDoubleVector();
        int n = 0;
        int first = -1;
        double worst = 0;
        for (int i = 0; i < x.length; i++) {
            if (Double.doubleToLongBits(x[i]) != Double.doubleToLongBits(y[i])) {
                n++;
                first = first < 0 ? i : first;
                worst = Math.max(worst, Math.abs(x[i] - y[i]));
            }
        }
        return n + " of " + x.length + " elements differ, first at " + first + " (" + (first < 0 ? "" : x[first] + " vs "
                + y[first]) + "), max |diff| " + worst;
    }

    /** Exactly the array's elements, C order: a copy, since a buffer may be larger than the array it holds. */
    private static byte[] bytes(INDArray x) {
        byte[] all = x.dup('c').data().asBytes();
        return Arrays.copyOf(all, (int) (x.length() * x.dataType().width()));
    }
}

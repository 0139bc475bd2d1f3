package dev.dendrite.onnxbridge.ops.shape;

import dev.dendrite.onnx.OnnxConverter;
import dev.dendrite.onnx.OnnxOp;
import dev.dendrite.tensor.Tensor;
import java.util.Arrays;
import java.util.Set;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * TopK through {@link TopKFunction}: values (differentiable) and int64 indices, ordered by value and,
 * among equal values, by the lower index, as ONNX asks.
 */
public final class TopKConverter implements OnnxConverter {
    @Override
    public Set<String> opTypes() {
        return Set.of("TopK");
    }

    @Override
    public Tensor[] convert(OnnxOp op, Tensor[] inputs) {
        Tensor x = op.input(inputs, 0, "X");
        if (x.rank() == 0) {
            throw op.error("expects an input of rank >= 1");
        }
        int axis = op.axis(op.attr("axis", -1L), x.rank(), "axis");
        long k;
        if (op.opset() < 10) {
            k = op.require("k", Long.class);
        } else {
            long[] ks = op.longs(inputs, 1, "K");
            if (ks.length != 1) {
                throw op.error("K must hold one value, got " + Arrays.toString(ks));
            }
            k = ks[0];
        }
        long n = x.shape()[axis];
        if (k < 0 || k > n) {
            throw op.error("k = " + k + " is out of range for axis " + axis + " of " + Arrays.toString(x.shape()));
        }
        boolean largest = op.attr("largest", 1L) != 0;
        if (!x.dtype().isFPType() && !x.dtype().isIntType()) {
            throw op.error("TopK of " + x.dtype() + " is not supported");
        }
        if (x.data().length() > Integer.MAX_VALUE - 8) {
            throw op.error("input " + Arrays.toString(x.shape()) + " is too large to sort");
        }
        return new TopKFunction(axis, k, largest).apply(x);
    }

    /**
     * For each row of {@code data} (rows × n, C order), the indices of its k largest (or smallest) values,
     * best first, ties to the lower index; NaN counts as larger than every number.
     */
    static long[] select(INDArray data, int rows, int n, int k, boolean largest) {
        double[] v = data.dup('c').castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).reshape(-1).toDoubleVector();
        long[] out = new long[rows * k];
        int[] heap = new int[k];
        for (int row = 0; row < rows; row++) {
            int base = row * n;
            // A bounded heap whose root is the worst of the k best so far.
            int size = 0;
            for (int i = 0; i < n; i++) {
                if (size < k) {
                    heap[size] = i;
                    up(heap, size++, v, base, largest);
                } else if (better(v, base, i, heap[0], largest)) {
                    heap[0] = i;
                    down(heap, size, v, base, largest);
                }
            }
            // Pop worst first into the back of the row.
            for (int j = k - 1; j >= 0; j--) {
                out[row * k + j] = heap[0];
                heap[0] = heap[--size];
                down(heap, size, v, base, largest);
            }
        }
        return out;
    }

    /** Whether element i ranks before element j. */
    private static boolean better(double[] v, int base, int i, int j, boolean largest) {
        int c = compare(v[base + i], v[base + j]);
        if (c != 0) {
            return largest ? c > 0 : c < 0;
        }
        return i < j;
    }

    /** Double.compare but with -0.0 equal to 0.0 (ONNX compares values, not bits). */
    private static int compare(double a, double b) {
        return a == b ? 0 : Double.compare(a, b);
    }

    private static void up(int[] heap, int i, double[] v, int base, boolean largest) {
        while (i > 0) {
            int p = (i - 1) / 2;
            if (!better(v, base, heap[p], heap[i], largest)) {
                break;
            }
            swap(heap, i, p);
            i = p;
        }
    }

    private static void down(int[] heap, int size, double[] v, int base, boolean largest) {
        int i = 0;
        while (true) {
            int l = 2 * i + 1;
            int worst = i;
            if (l < size && better(v, base, heap[worst], heap[l], largest)) {
                worst = l;
            }
            if (l + 1 < size && better(v, base, heap[worst], heap[l + 1], largest)) {
                worst = l + 1;
            }
            if (worst == i) {
                return;
            }
            swap(heap, i, worst);
            i = worst;
        }
    }

    private static void swap(int[] a, int i, int j) {
        int t = a[i];
        a[i] = a[j];
        a[j] = t;
    }
}

package dev.dendrite.ops;

import dev.dendrite.onnx.OnnxBuilder;
import dev.dendrite.tensor.Function;
import dev.dendrite.tensor.Kernels;
import dev.dendrite.tensor.ShapeException;
import dev.dendrite.tensor.Shapes;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * ONNX Gather: picks entries of x along one axis by integer indices (negative ones count from the end).
 * Backward scatter-adds the gradient back, so repeated indices (an embedding's repeated tokens) sum.
 */
final class Gather extends Function {
    private final int requestedAxis;
    private int axis;
    private long[] xShape;
    private INDArray flatIndices;

    Gather(int axis) {
        this.requestedAxis = axis;
    }

    @Override
    public String name() {
        return "gather";
    }

    @Override
    protected INDArray[] forward(INDArray[] in) {
        INDArray x = in[0];
        Shapes.requireMinRank("gather", x, 1);
        Shapes.requireIntegral("gather", in[1]);
        xShape = x.shape();
        axis = Shapes.axis("gather", requestedAxis, xShape);
        INDArray idx = normalise("gather", in[1], xShape, axis);
        flatIndices = idx.reshape(idx.length());
        long[] outShape = new long[x.rank() - 1 + idx.rank()];
        int j = 0;
        for (int d = 0; d < axis; d++) {
            outShape[j++] = xShape[d];
        }
        for (long s : idx.shape()) {
            outShape[j++] = s;
        }
        for (int d = axis + 1; d < x.rank(); d++) {
            outShape[j++] = xShape[d];
        }
        INDArray out = Kernels.empty(x.dataType(), outShape);
        if (out.length() > 0 && x.rank() == 1 && idx.rank() > 1) {
            // libnd4j's gather corrupts the heap (JVM crash) on a vector with multi-dim indices: gather
            // with the flat indices, then give the result the indices' shape.
            INDArray flat = Kernels.empty(x.dataType(), flatIndices.length());
            Kernels.exec("gather", flat, new long[] {axis}, x, flatIndices);
            out = flat.reshape('c', outShape);
        } else if (out.length() > 0) {
            Kernels.exec("gather", out, new long[] {axis}, x, idx);
        }
        return new INDArray[] {out};
    }

    /** Indices as int64 in [0, n), checked in Java: libnd4j would read out of bounds instead of failing. */
    static INDArray normalise(String op, INDArray indices, long[] shape, int axis) {
        long n = shape[axis];
        INDArray idx = indices.castTo(DataType.INT64);
        if (idx.length() == 0) {
            return idx;
        }
        long min = idx.minNumber().longValue();
        long max = idx.maxNumber().longValue();
        if (min < -n || max >= n) {
            throw new ShapeException(op + ": index " + (min < -n ? min : max) + " is out of range for axis " + axis
                    + " of " + Shapes.str(shape) + " (valid: " + -n + " to " + (n - 1) + ")");
        }
        if (min < 0) {
            idx = idx.add(idx.lt(0).castTo(DataType.INT64).muli(n));
        }
        return idx;
    }

    @Override
    protected INDArray[] backward(INDArray[] g) {
        return new INDArray[] {needsGrad(0) ? scatterAdd(xShape, axis, flatIndices, g[0]) : null, null};
    }

    /**
     * The adjoint of gathering {@code indices} (1-D) along {@code axis}: a zero array of {@code shape}
     * with each update row added at its index.
     */
    static INDArray scatterAdd(long[] shape, int axis, INDArray indices, INDArray updates) {
        int r = shape.length;
        long k = indices.length();
        long[] uShape = shape.clone();
        uShape[axis] = k;
        // Move the axis to the front, where scatter_add works on rows.
        int[] perm = new int[r];
        perm[0] = axis;
        for (int d = 0, j = 1; d < r; d++) {
            if (d != axis) {
                perm[j++] = d;
            }
        }
        long rest = Shapes.numel(shape) / Math.max(1, shape[axis]);
        INDArray rows = updates.reshape('c', uShape).permute(perm).dup('c').reshape('c', k, rest);
        INDArray ref = Nd4j.zeros(updates.dataType(), shape[axis], rest);
        if (k > 0 && rest > 0) {
            // bArg 0 = lock: one thread. Without it libnd4j splits the indices between threads, and rows
            // with a repeated index (the common case in backward) race and lose updates.
            Kernels.exec("scatter_add", new INDArray[] {ref, indices, rows}, new INDArray[] {ref}, null, null,
                    new boolean[] {true});
        }
        long[] permuted = new long[r];
        for (int d = 0; d < r; d++) {
            permuted[d] = shape[perm[d]];
        }
        int[] inverse = new int[r];
        for (int d = 0; d < r; d++) {
            inverse[perm[d]] = d;
        }
        return ref.reshape('c', permuted).permute(inverse).dup('c');
    }

    @Override
    public void toOnnx(OnnxBuilder onnx, String[] inputs, String[] outputs) {
        onnx.node("Gather", inputs, outputs, Map.of("axis", (long) axis));
    }
}

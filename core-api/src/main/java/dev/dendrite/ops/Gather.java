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
    protected void check(INDArray[] in) {
        Shapes.requireMinRank("gather", in[0], 1);
        Shapes.requireIntegral("gather", in[1]);
        checkRange("gather", in[1], in[0].shape(), Shapes.axis("gather", requestedAxis, in[0].shape()));
    }

    @Override
    protected INDArray[] forward(INDArray[] in) {
        INDArray x = in[0];
        xShape = x.shape();
        axis = Shapes.axis("gather", requestedAxis, xShape);
        INDArray idx = normalise(in[1], xShape[axis]);
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

    /**
     * Fails unless every index is in [−n, n) for axis {@code axis} of {@code shape}: libnd4j would read out of
     * bounds instead of failing. Two native reductions and two host reads.
     */
    static void checkRange(String op, INDArray indices, long[] shape, int axis) {
        long n = shape[axis];
        if (indices.length() == 0) {
            return;
        }
        INDArray idx = indices.dataType() == DataType.INT64 ? indices
                : Kernels.cast(Kernels.empty(DataType.INT64, indices.shape()), indices);
        long lo = Kernels.exec("reduce_min", Kernels.empty(DataType.INT64), idx).getLong(0);
        long hi = Kernels.exec("reduce_max", Kernels.empty(DataType.INT64), idx).getLong(0);
        if (lo < -n || hi >= n) {
            throw new ShapeException(op + ": index " + (lo < -n ? lo : hi) + " is out of range for axis " + axis
                    + " of " + Shapes.str(shape) + " (valid: " + -n + " to " + (n - 1) + ")");
        }
    }

    /**
     * Indices as int64 in [0, n): negative ones count from the end. Branch-free (idx + n·[idx < 0]), so a
     * compiled step that captured only non-negative indices still handles negative ones.
     */
    static INDArray normalise(INDArray indices, long n) {
        INDArray idx = indices.dataType() == DataType.INT64 ? indices
                : Kernels.cast(Kernels.empty(DataType.INT64, indices.shape()), indices);
        if (idx.length() == 0) {
            return idx;
        }
        INDArray negative = Kernels.empty(DataType.BOOL, idx.shape());
        Kernels.exec("less", negative, idx, Nd4j.scalar(DataType.INT64, 0L));
        INDArray shift = Kernels.cast(Kernels.empty(DataType.INT64, idx.shape()), negative);
        Kernels.exec("multiply", shift, shift, Nd4j.scalar(DataType.INT64, n));
        return Kernels.exec("add", Kernels.empty(DataType.INT64, idx.shape()), idx, shift);
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
        INDArray rows = Kernels.permute(updates.reshape('c', uShape), perm).reshape('c', k, rest);
        INDArray ref = Kernels.full(updates.dataType(), 0, shape[axis], rest);
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
        return Kernels.permute(ref.reshape('c', permuted), inverse);
    }

    @Override
    public void toOnnx(OnnxBuilder onnx, String[] inputs, String[] outputs) {
        onnx.node("Gather", inputs, outputs, Map.of("axis", (long) axis));
    }
}

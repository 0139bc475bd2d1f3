package dev.dendrite.onnxbridge.ops.shape;

import dev.dendrite.onnx.OnnxBuilder;
import dev.dendrite.tensor.Function;
import dev.dendrite.tensor.Kernels;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The k largest (or smallest) entries along one axis, and their int64 indices, best first with ties to
 * the lower index (ONNX's rule). A primitive rather than a composition so that an imported graph exports
 * again as a TopK node instead of a gather of indices frozen at trace time. Selection runs in Java
 * (libnd4j's top_k returns wrong values on ties); the values are picked by a native gather, and backward
 * scatters the gradient back onto the chosen elements. The converter checks the arguments.
 */
final class TopKFunction extends Function {
    private final int axis;
    private final long k;
    private final boolean largest;
    private long[] movedShape;
    private INDArray flatIndices;

    TopKFunction(int axis, long k, boolean largest) {
        this.axis = axis;
        this.k = k;
        this.largest = largest;
    }

    @Override
    public String name() {
        return "topk";
    }

    @Override
    protected INDArray[] forward(INDArray[] in) {
        INDArray x = in[0];
        int r = x.rank();
        int[] toEnd = ShapeArgs.moveToEnd(axis, r, false);
        int[] back = ShapeArgs.moveToEnd(axis, r, true);
        INDArray xt = x.permute(toEnd).dup('c');
        movedShape = xt.shape();
        long n = movedShape[r - 1];
        long rows = ShapeArgs.numel(movedShape) / Math.max(1, n);
        long[] outShape = movedShape.clone();
        outShape[r - 1] = k;
        if (k == 0 || rows == 0) {
            flatIndices = Nd4j.create(DataType.INT64, 0);
            return new INDArray[] {permuted(Nd4j.create(x.dataType(), outShape), back),
                permuted(Nd4j.create(DataType.INT64, outShape), back)};
        }
        long[] picked = TopKConverter.select(xt, (int) rows, (int) n, (int) k, largest);
        long[] flat = new long[picked.length];
        for (int i = 0; i < picked.length; i++) {
            flat[i] = (i / k) * n + picked[i];
        }
        flatIndices = Nd4j.createFromArray(flat);
        INDArray values = Kernels.empty(x.dataType(), flat.length);
        Kernels.exec("gather", values, new long[] {0}, xt.reshape('c', new long[] {rows * n}), flatIndices);
        INDArray indices = Nd4j.createFromArray(picked).reshape('c', outShape);
        return new INDArray[] {permuted(values.reshape('c', outShape), back), permuted(indices, back)};
    }

    private static INDArray permuted(INDArray a, int[] perm) {
        return ShapeArgs.identity(perm) ? a : a.permute(perm).dup('c');
    }

    @Override
    protected INDArray[] backward(INDArray[] g) {
        if (!needsGrad(0)) {
            return new INDArray[] {null};
        }
        int r = movedShape.length;
        long total = ShapeArgs.numel(movedShape);
        INDArray ref = Nd4j.zeros(g[0].dataType(), total, 1);
        if (flatIndices.length() > 0) {
            INDArray updates = g[0].permute(ShapeArgs.moveToEnd(axis, r, false)).dup('c')
                    .reshape('c', flatIndices.length(), 1);
            // Each position is chosen at most once, so the adds never collide.
            Kernels.exec("scatter_add", new INDArray[] {ref, flatIndices, updates}, new INDArray[] {ref}, null,
                    null, null);
        }
        return new INDArray[] {permuted(ref.reshape('c', movedShape), ShapeArgs.moveToEnd(axis, r, true))};
    }

    @Override
    public void toOnnx(OnnxBuilder onnx, String[] inputs, String[] outputs) {
        onnx.node("TopK", new String[] {inputs[0], onnx.int64s(k)}, outputs,
                Map.of("axis", (long) axis, "largest", largest ? 1L : 0L, "sorted", 1L));
    }
}

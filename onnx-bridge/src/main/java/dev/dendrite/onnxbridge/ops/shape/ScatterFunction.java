package dev.dendrite.onnxbridge.ops.shape;

import dev.dendrite.onnx.OnnxBuilder;
import dev.dendrite.tensor.Function;
import dev.dendrite.tensor.Kernels;
import dev.dendrite.tensor.ShapeException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * ONNX ScatterElements and ScatterND: a copy of {@code data} whose addressed entries are replaced by (or, with
 * reduction {@code add}, increased by) {@code updates}. ScatterElements (PyTorch {@code Tensor.scatter}) addresses
 * {@code out[..., indices[i, j, ...], ...] = updates[i, j, ...]} along {@code axis}; ScatterND (PyTorch index
 * assignment {@code x[idx] = v}) addresses whole slices {@code out[indices[i, :]] = updates[i, ...]}. Both reduce
 * to C-order flat offsets into {@code data}, computed with whole-array int64 ops, and one native scatter. A primitive
 * (not a frozen index list) because indices are runtime values (pack_padded_sequence's inverse permutation).
 *
 * <p>Gradients: d data = g with the replaced entries zeroed ({@code none}) or g ({@code add}); d updates =
 * g gathered at the offsets. Indices get none. With duplicate indices and {@code none}, ONNX leaves the result
 * undefined; here, as in ONNX Runtime, the last write wins, and only it receives gradient.
 */
final class ScatterFunction extends Function {
    private final boolean nd;
    private final int axis;
    private final boolean add;
    private final String node;
    private long[] dataShape;
    private long[] updatesShape;
    private INDArray offsets;

    ScatterFunction(String node, boolean nd, int axis, boolean add) {
        this.node = node;
        this.nd = nd;
        this.axis = axis;
        this.add = add;
    }

    @Override
    public String name() {
        return nd ? "scatter_nd" : "scatter_elements";
    }

    @Override
    protected INDArray[] forward(INDArray[] in) {
        INDArray data = in[0];
        INDArray updates = in[2];
        dataShape = data.shape();
        updatesShape = updates.shape();
        offsets = nd ? ndOffsets(in[1]) : elementOffsets(in[1]);
        long total = ShapeArgs.numel(dataShape);
        INDArray out = data.dup('c').reshape('c', new long[] {total, 1});
        long m = offsets.length();
        if (m > 0 && total > 0) {
            INDArray u = updates.castTo(data.dataType()).dup('c').reshape('c', new long[] {m, 1});
            Kernels.exec(add ? "scatter_add" : "scatter_upd", new INDArray[] {out, offsets, u}, new INDArray[] {out},
                    null, null, null);
        }
        return new INDArray[] {out.reshape('c', dataShape)};
    }

    /** Offsets for ScatterElements: indices along {@code axis}, the element's own coordinate elsewhere. */
    private INDArray elementOffsets(INDArray indices) {
        int r = dataShape.length;
        long[] is = indices.shape();
        if (is.length != r || !Arrays.equals(is, updatesShape)) {
            throw error("indices " + Arrays.toString(is) + " and updates " + Arrays.toString(updatesShape)
                    + " must have one shape, of the rank of data " + Arrays.toString(dataShape));
        }
        for (int d = 0; d < r; d++) {
            if (d != axis && is[d] > dataShape[d]) {
                throw error("indices " + Arrays.toString(is) + " exceed data " + Arrays.toString(dataShape)
                        + " on axis " + d);
            }
        }
        long[] stride = strides(dataShape);
        INDArray flat = normalized(indices.castTo(DataType.INT64), dataShape[axis], "axis " + axis).muli(stride[axis]);
        if (flat.length() == 0) {
            return Nd4j.create(DataType.INT64, 0);
        }
        for (int d = 0; d < r; d++) {
            if (d == axis || is[d] == 1) {
                continue;
            }
            long[] one = new long[r];
            Arrays.fill(one, 1);
            one[d] = is[d];
            INDArray coord = Nd4j.arange(0, is[d]).castTo(DataType.INT64).muli(stride[d]).reshape('c', one);
            flat.addi(coord.broadcast(is));
        }
        return flat.dup('c').reshape('c', new long[] {flat.length()});
    }

    /** Offsets for ScatterND: the slice at indices[..., :k] expanded over the trailing data dimensions. */
    private INDArray ndOffsets(INDArray indices) {
        long[] is = indices.shape();
        int q = is.length;
        int k = q == 0 ? -1 : (int) is[q - 1];
        if (q == 0 || k > dataShape.length || k < 0) {
            throw error("indices " + Arrays.toString(is) + " must have rank >= 1 and a last dimension <= rank of data "
                    + Arrays.toString(dataShape));
        }
        long[] expect = new long[q - 1 + dataShape.length - k];
        System.arraycopy(is, 0, expect, 0, q - 1);
        System.arraycopy(dataShape, k, expect, q - 1, dataShape.length - k);
        if (!Arrays.equals(expect, updatesShape)) {
            throw error("updates " + Arrays.toString(updatesShape) + ", expected " + Arrays.toString(expect)
                    + " for indices " + Arrays.toString(is) + " into data " + Arrays.toString(dataShape));
        }
        long n = ShapeArgs.numel(is) / Math.max(1, k);
        long slice = ShapeArgs.numel(Arrays.copyOfRange(dataShape, k, dataShape.length));
        if (n == 0 || slice == 0) {
            return Nd4j.create(DataType.INT64, 0);
        }
        long[] stride = strides(dataShape);
        INDArray base = Nd4j.zeros(DataType.INT64, n, 1);
        if (k > 0) {
            INDArray idx = indices.castTo(DataType.INT64).dup('c').reshape('c', new long[] {n, k});
            for (int j = 0; j < k; j++) {
                base.addi(normalized(idx.getColumn(j, true).dup('c'), dataShape[j], "dimension " + j).muli(stride[j]));
            }
        }
        INDArray within = Nd4j.arange(0, slice).castTo(DataType.INT64).reshape('c', new long[] {1, slice});
        return base.broadcast(n, slice).add(within.broadcast(n, slice)).dup('c').reshape('c', new long[] {n * slice});
    }

    /** Negative indices count from the end; anything outside [-dim, dim) is refused before the native scatter. */
    private INDArray normalized(INDArray idx, long dim, String where) {
        if (idx.length() == 0) {
            return idx;
        }
        long lo = idx.minNumber().longValue();
        long hi = idx.maxNumber().longValue();
        if (lo < -dim || hi >= dim) {
            throw error("index " + (lo < -dim ? lo : hi) + " is out of range [" + -dim + ", " + dim + ") on " + where
                    + " of data " + Arrays.toString(dataShape));
        }
        return lo < 0 ? idx.add(idx.lt(0).castTo(DataType.INT64).muli(dim)) : idx.dup();
    }

    private ShapeException error(String message) {
        return new ShapeException(node + ": " + message);
    }

    private static long[] strides(long[] shape) {
        long[] s = new long[shape.length];
        long acc = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            s[d] = acc;
            acc *= shape[d];
        }
        return s;
    }

    @Override
    protected INDArray[] backward(INDArray[] g) {
        INDArray gradData = null;
        INDArray gradUpdates = null;
        long total = ShapeArgs.numel(dataShape);
        long m = offsets.length();
        INDArray flat = g[0].dup('c').reshape('c', new long[] {total, 1});
        if (needsGrad(2)) {
            INDArray picked = Kernels.empty(g[0].dataType(), m);
            if (m > 0) {
                Kernels.exec("gather", picked, new long[] {0}, flat.reshape('c', new long[] {total}), offsets);
            }
            if (!add && m > 1) {
                picked.muli(lastWrites(total, m).castTo(picked.dataType()));
            }
            gradUpdates = picked.reshape('c', updatesShape);
        }
        if (needsGrad(0)) {
            if (!add && m > 0) {
                INDArray zeros = Nd4j.zeros(g[0].dataType(), m, 1);
                Kernels.exec("scatter_upd", new INDArray[] {flat, offsets, zeros}, new INDArray[] {flat}, null, null,
                        null);
            }
            gradData = flat.reshape('c', dataShape);
        }
        return new INDArray[] {gradData, null, gradUpdates};
    }

    /**
     * 1 for each update that is the write forward kept (the last of equal offsets, as in ONNX Runtime), 0 for the
     * overwritten ones, which have no effect and so no gradient: scatter the update numbers and read them back.
     */
    private INDArray lastWrites(long total, long m) {
        INDArray ids = Nd4j.arange(0, m).castTo(DataType.INT64).reshape('c', new long[] {m, 1});
        INDArray slots = Nd4j.valueArrayOf(new long[] {total, 1}, -1L, DataType.INT64);
        Kernels.exec("scatter_upd", new INDArray[] {slots, offsets, ids}, new INDArray[] {slots}, null, null, null);
        INDArray winner = Kernels.empty(DataType.INT64, m);
        Kernels.exec("gather", winner, new long[] {0}, slots.reshape('c', new long[] {total}), offsets);
        return winner.eq(ids.reshape('c', new long[] {m}));
    }

    @Override
    public void toOnnx(OnnxBuilder onnx, String[] inputs, String[] outputs) {
        Map<String, Object> attrs = new HashMap<>();
        if (!nd) {
            attrs.put("axis", (long) axis);
        }
        if (add) {
            attrs.put("reduction", "add");
        }
        onnx.node(nd ? "ScatterND" : "ScatterElements", inputs, outputs, attrs);
    }
}

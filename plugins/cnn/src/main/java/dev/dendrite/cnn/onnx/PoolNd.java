package dev.dendrite.cnn.onnx;

import dev.dendrite.onnx.OnnxBuilder;
import dev.dendrite.tensor.Function;
import dev.dendrite.tensor.Kernels;
import dev.dendrite.tensor.ShapeException;
import dev.dendrite.tensor.Shapes;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Max or average pooling over any number of spatial dims with ONNX's full attribute set: asymmetric pads of
 * any size, dilations, ceil mode and count_include_pad; the cases libnd4j's 2-D pooling kernels cannot take.
 *
 * <p>The input is copied into a padded array (−∞ for max, 0 for average) long enough for every window,
 * ceil mode's included; then, for each of the k₁·k₂·… kernel taps, the strided view of the padded array that
 * tap reads for every output cell is combined into the output: an elementwise max (recording which tap won,
 * the first on ties) or a sum. The average divides by the counted cells of each window (the input's, plus
 * the explicit padding when count_include_pad, never ceil mode's extra cells), a per-axis product computed
 * once. Each tap is a few native array ops, so the Java loop runs over kernel taps, never over elements.
 * Backward adds the gradient (to the winning tap, or divided by the count) into the same views.
 */
final class PoolNd extends Function {
    private final boolean max;
    private final long[] kernel;
    private final long[] stride;
    private final long[] dilation;
    private final long[] padBegin;
    private final long[] padEnd;
    private final boolean ceil;
    private final boolean countIncludePad;
    private final int n;

    private long[] xShape;
    private long[] paddedShape;
    private long[] out;
    private DataType type;
    /** Max: which kernel tap won each output cell (as a float of the input's dtype). */
    private INDArray winner;
    /** Average: 1 / counted cells, [1, 1, out...]. */
    private INDArray inverseCount;
    /** Whether {@link #indices} will be asked for, so the winning taps must be kept even without a gradient. */
    private boolean keepWinner;

    PoolNd(boolean max, long[] kernel, long[] stride, long[] dilation, long[] padBegin, long[] padEnd, boolean ceil,
            boolean countIncludePad) {
        this.n = kernel.length;
        if (stride.length != n || dilation.length != n || padBegin.length != n || padEnd.length != n || n == 0) {
            throw new ShapeException(name(max)
                    + ": kernel, stride, dilation and pads must have one value per spatial dim");
        }
        for (int i = 0; i < n; i++) {
            if (kernel[i] < 1 || stride[i] < 1 || dilation[i] < 1 || padBegin[i] < 0 || padEnd[i] < 0) {
                throw new ShapeException(name(max)
                        + ": kernel, stride and dilation must be >= 1 and pads >= 0, got kernel " + Arrays.toString(kernel)
                        + ", stride " + Arrays.toString(stride) + ", dilation " + Arrays.toString(dilation) + ", pads "
                        + Arrays.toString(padBegin) + "/" + Arrays.toString(padEnd));
            }
        }
        this.max = max;
        this.kernel = kernel.clone();
        this.stride = stride.clone();
        this.dilation = dilation.clone();
        this.padBegin = padBegin.clone();
        this.padEnd = padEnd.clone();
        this.ceil = ceil;
        this.countIncludePad = countIncludePad;
    }

    /** Keeps what {@link #indices} needs; call before applying. */
    PoolNd withIndices() {
        keepWinner = true;
        return this;
    }

    private static String name(boolean max) {
        return max ? "max_pool" : "avg_pool";
    }

    @Override
    public String name() {
        return name(max);
    }

    /** Output length along one spatial dim; a ShapeException when the window does not fit. */
    static long outSize(String op, long in, long begin, long end, long kernel, long stride, long dilation,
            boolean ceil) {
        long effective = dilation * (kernel - 1) + 1;
        long span = in + begin + end - effective;
        if (span < 0) {
            throw new ShapeException(op + ": the kernel (" + kernel + (dilation > 1 ? ", dilated to " + effective : "")
                    + ") is larger than the padded input (" + in + " + " + begin + " + " + end + ")");
        }
        long o = (ceil ? Spatial.ceilDiv(span, stride) : span / stride) + 1;
        if (ceil && (o - 1) * stride >= in + begin) {
            o--;
        }
        return o;
    }

    @Override
    protected INDArray[] forward(INDArray[] in) {
        String op = name();
        if (in.length != 1) {
            throw new ShapeException(op + ": expected 1 input, got " + in.length);
        }
        INDArray x = in[0];
        Shapes.requireFloating(op, x);
        if (x.rank() != n + 2) {
            throw new ShapeException(op + ": expected an input of rank " + (n + 2) + " [N, C, " + n
                    + " spatial dims], got shape " + Shapes.str(x.shape()));
        }
        xShape = x.shape().clone();
        type = x.dataType();
        out = new long[n];
        paddedShape = xShape.clone();
        for (int i = 0; i < n; i++) {
            long len = xShape[i + 2];
            if (len == 0) {
                throw new ShapeException(op + ": empty spatial dim in input " + Shapes.str(xShape));
            }
            out[i] = outSize(op, len, padBegin[i], padEnd[i], kernel[i], stride[i], dilation[i], ceil);
            long needed = (out[i] - 1) * stride[i] + dilation[i] * (kernel[i] - 1) + 1;
            paddedShape[i + 2] = Math.max(needed, padBegin[i] + len);
        }
        long[] outShape = outShape();
        if (Shapes.numel(xShape) == 0) {
            return new INDArray[] {Nd4j.zeros(type, outShape)};
        }
        INDArray padded = Nd4j.valueArrayOf(paddedShape, max ? Double.NEGATIVE_INFINITY : 0.0, type);
        padded.get(inner()).assign(x);
        long taps = Shapes.numel(kernel);
        INDArray y = null;
        if (max) {
            // Which tap won matters for backward and Indices only; plain inference skips it.
            boolean track = keepWinner || needsGrad(0);
            winner = track ? Nd4j.zeros(type, outShape) : null;
            for (long t = 0; t < taps; t++) {
                INDArray v = padded.get(tap(t));
                if (y == null) {
                    y = v.dup('c');
                    continue;
                }
                if (track) {
                    // winner += [v > y]·(t − winner): strictly greater, so the first tap keeps a tie.
                    INDArray better = v.gt(y).castTo(type);
                    winner.addi(better.muli(winner.rsub(t)));
                }
                y = Transforms.max(y, v, false);
            }
        } else {
            inverseCount = Transforms.pow(counts(type, Arrays.copyOfRange(xShape, 2, n + 2), out, kernel, stride,
                    dilation, padBegin, padEnd, countIncludePad), -1, false);
            y = Nd4j.zeros(type, outShape);
            for (long t = 0; t < taps; t++) {
                y.addi(padded.get(tap(t)));
            }
            y = Kernels.exec("multiply", Kernels.empty(type, outShape), y, inverseCount);
        }
        return new INDArray[] {y};
    }

    private long[] outShape() {
        long[] s = new long[n + 2];
        s[0] = xShape[0];
        s[1] = xShape[1];
        System.arraycopy(out, 0, s, 2, n);
        return s;
    }

    /** The view of the padded array holding the input. */
    private INDArrayIndex[] inner() {
        INDArrayIndex[] idx = new INDArrayIndex[n + 2];
        idx[0] = NDArrayIndex.all();
        idx[1] = NDArrayIndex.all();
        for (int i = 0; i < n; i++) {
            idx[i + 2] = NDArrayIndex.interval(padBegin[i], padBegin[i] + xShape[i + 2]);
        }
        return idx;
    }

    /** The strided view of the padded array that kernel tap {@code t} (row-major over the kernel) reads. */
    private INDArrayIndex[] tap(long t) {
        INDArrayIndex[] idx = new INDArrayIndex[n + 2];
        idx[0] = NDArrayIndex.all();
        idx[1] = NDArrayIndex.all();
        long rest = t;
        for (int i = n - 1; i >= 0; i--) {
            long k = rest % kernel[i];
            rest /= kernel[i];
            long start = k * dilation[i];
            idx[i + 2] = NDArrayIndex.interval(start, stride[i], start + (out[i] - 1) * stride[i] + 1);
        }
        return idx;
    }

    /**
     * The cells an average divides by for each output cell, [1, 1, out...]: the window's input cells, plus its
     * explicit padding cells when {@code countIncludePad}, never ceil mode's extra cells. A product of per-axis
     * counts, since the counted region is a box.
     */
    static INDArray counts(DataType type, long[] in, long[] out, long[] kernel, long[] stride, long[] dilation,
            long[] padBegin, long[] padEnd, boolean countIncludePad) {
        int n = in.length;
        INDArray counts = null;
        for (int i = 0; i < n; i++) {
            long len = in[i];
            long lo = countIncludePad ? 0 : padBegin[i];
            long hi = countIncludePad ? padBegin[i] + len + padEnd[i] : padBegin[i] + len;
            double[] c = new double[(int) out[i]];
            for (int o = 0; o < out[i]; o++) {
                for (long k = 0; k < kernel[i]; k++) {
                    long p = o * stride[i] + k * dilation[i];
                    if (p >= lo && p < hi) {
                        c[o]++;
                    }
                }
            }
            long[] shape = new long[n + 2];
            Arrays.fill(shape, 1);
            shape[i + 2] = out[i];
            INDArray axis = Nd4j.createFromArray(c).castTo(type).reshape('c', shape);
            counts = counts == null ? axis : Kernels.exec("multiply",
                    Kernels.empty(type, Shapes.broadcast("multiply", counts.shape(), shape)), counts, axis);
        }
        return counts;
    }

    @Override
    protected INDArray[] backward(INDArray[] gradOut) {
        if (!needsGrad(0)) {
            return new INDArray[] {null};
        }
        INDArray g = gradOut[0];
        if (Shapes.numel(xShape) == 0) {
            return new INDArray[] {Nd4j.zeros(g.dataType(), xShape)};
        }
        INDArray gp = Nd4j.zeros(g.dataType(), paddedShape);
        long taps = Shapes.numel(kernel);
        if (max) {
            for (long t = 0; t < taps; t++) {
                INDArray mask = winner.eq(t).castTo(g.dataType());
                gp.get(tap(t)).addi(mask.muli(g));
            }
        } else {
            INDArray share = Kernels.exec("multiply", Kernels.empty(g.dataType(), g.shape()), g, inverseCount);
            for (long t = 0; t < taps; t++) {
                gp.get(tap(t)).addi(share);
            }
        }
        return new INDArray[] {gp.get(inner()).dup('c')};
    }

    /**
     * ONNX MaxPool's Indices output for the last forward: the flat index of each output's maximum in the
     * input, (n·C + c)·Π spatial + the spatial offset, row-major, or column-major over the spatial dims when
     * {@code columnMajor} (storage_order 1). Computed with array ops, as int64.
     */
    INDArray indices(boolean columnMajor) {
        if (!max || winner == null) {
            throw new IllegalStateException("indices: no max-pool forward ran");
        }
        long[] outShape = outShape();
        long spatial = Shapes.numel(Arrays.copyOfRange(xShape, 2, n + 2));
        INDArray w = winner.castTo(DataType.DOUBLE);
        // The batch·channel offset, [N, C, 1...].
        long[] ncShape = new long[n + 2];
        Arrays.fill(ncShape, 1);
        ncShape[0] = xShape[0];
        ncShape[1] = xShape[1];
        INDArray index = Nd4j.arange(0, xShape[0] * xShape[1]).castTo(DataType.DOUBLE).muli(spatial)
                .reshape('c', ncShape);
        index = Kernels.exec("add", Kernels.empty(DataType.DOUBLE, outShape), w.mul(0), index);
        long after = 1;
        long[] multiplier = new long[n];
        for (int i = 0; i < n; i++) {
            long m = 1;
            if (columnMajor) {
                for (int j = 0; j < i; j++) {
                    m *= xShape[j + 2];
                }
            } else {
                for (int j = i + 1; j < n; j++) {
                    m *= xShape[j + 2];
                }
            }
            multiplier[i] = m;
        }
        for (int i = n - 1; i >= 0; i--) {
            // The tap along dim i: ⌊winner / (taps after i)⌋ mod k_i.
            INDArray k = Transforms.floor(w.div(after), false);
            k = k.subi(Transforms.floor(k.div(kernel[i]), false).muli(kernel[i]));
            after *= kernel[i];
            long[] shape = new long[n + 2];
            Arrays.fill(shape, 1);
            shape[i + 2] = out[i];
            INDArray start = Nd4j.arange(0, out[i]).castTo(DataType.DOUBLE).muli(stride[i]).subi(padBegin[i])
                    .reshape('c', shape);
            INDArray coord = Kernels.exec("add", Kernels.empty(DataType.DOUBLE, outShape), k.muli(dilation[i]), start);
            index.addi(coord.muli(multiplier[i]));
        }
        return index.castTo(DataType.INT64);
    }

    @Override
    public void toOnnx(OnnxBuilder onnx, String[] inputs, String[] outputs) {
        boolean dilated = Arrays.stream(dilation).anyMatch(d -> d != 1);
        if (!max && dilated && onnx.opset() < 19) {
            averageAsConv(onnx, inputs[0], outputs[0]);
            return;
        }
        Map<String, Object> attributes = new HashMap<>();
        attributes.put("kernel_shape", kernel.clone());
        attributes.put("strides", stride.clone());
        long[] pads = new long[2 * n];
        System.arraycopy(padBegin, 0, pads, 0, n);
        System.arraycopy(padEnd, 0, pads, n, n);
        attributes.put("pads", pads);
        attributes.put("ceil_mode", ceil ? 1L : 0L);
        if (dilated) {
            attributes.put("dilations", dilation.clone());
        }
        if (!max) {
            attributes.put("count_include_pad", countIncludePad ? 1L : 0L);
        }
        onnx.node(max ? "MaxPool" : "AveragePool", inputs, outputs, attributes);
    }

    /**
     * AveragePool takes dilations only from opset 19: below it, the same average as what forward computes,
     * every channel as its own image ([N·C, 1, ...]) zero-padded as forward pads it, summed by a dilated Conv
     * with a kernel of ones, and multiplied by 1 / counted cells.
     */
    private void averageAsConv(OnnxBuilder onnx, String input, String output) {
        long[] flat = new long[n + 2];
        flat[0] = -1;
        flat[1] = 1;
        System.arraycopy(xShape, 2, flat, 2, n);
        String images = onnx.fresh("pool_images");
        onnx.node("Reshape", new String[] {input, onnx.int64s(flat)}, new String[] {images});
        long[] pads = new long[2 * (n + 2)];
        for (int i = 0; i < n; i++) {
            pads[i + 2] = padBegin[i];
            pads[n + 2 + i + 2] = paddedShape[i + 2] - padBegin[i] - xShape[i + 2];
        }
        String padded = onnx.fresh("pool_padded");
        onnx.node("Pad", new String[] {images, onnx.int64s(pads)}, new String[] {padded});
        long[] kShape = new long[n + 2];
        kShape[0] = 1;
        kShape[1] = 1;
        System.arraycopy(kernel, 0, kShape, 2, n);
        String sums = onnx.fresh("pool_sums");
        onnx.node("Conv", new String[] {padded, onnx.constant(Nd4j.ones(type, kShape))}, new String[] {sums},
                Map.of("kernel_shape", kernel.clone(), "strides", stride.clone(), "dilations", dilation.clone()));
        long[] back = outShape();
        back[0] = -1;
        String grouped = onnx.fresh("pool_sums");
        onnx.node("Reshape", new String[] {sums, onnx.int64s(back)}, new String[] {grouped});
        onnx.node("Mul", new String[] {grouped, onnx.constant(inverseCount)}, new String[] {output});
    }
}

package dev.dendrite.cnn.ops;

import dev.dendrite.onnx.OnnxBuilder;
import dev.dendrite.tensor.Function;
import dev.dendrite.tensor.Kernels;
import dev.dendrite.tensor.ShapeException;
import dev.dendrite.tensor.Shapes;
import java.util.HashMap;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Max and average pooling over [N, C, H, W] with PyTorch's semantics: symmetric padding of at most half the
 * kernel, ceil mode (a last window starting in the right padding is dropped) and, for the average,
 * count_include_pad. On libnd4j's {@code maxpool2d}/{@code avgpool2d} and their {@code _bp}s.
 *
 * <p>libnd4j knows neither ceil mode nor PyTorch's divisor for windows that hang past the padded input. When
 * ceil mode adds such windows, the input is padded explicitly (−∞ for max, 0 for average) and pooled without
 * native padding; the average is then taken over all k_h·k_w cells and rescaled per output cell by
 * k_h·k_w / (cells PyTorch counts), a constant found by pooling a mask of the counted cells the same way.
 *
 * <p>Max pooling runs on libnd4j's oneDNN helper unless the input is small. Bound once and replayed (as a
 * compiled step runs it), oneDNN is 2–7× faster than libnd4j's own loops, forward and backward, on one thread
 * and two, and gives the same numbers ([64,6,28,28] 2×2, one thread: forward 0.23 → 0.13 ms, backward 1.28 →
 * 0.36 ms; [16,64,32,32] 3×3/2: backward 6.9 → 0.93 ms). Below {@link #SMALL} elements its set-up costs more
 * than it saves ([1,6,28,28]: 4.5 against 6.8 µs). Average pooling keeps libnd4j's kernels: its divisor
 * rules (count_include_pad) are what this class relies on.
 */
final class Pool extends Function {
    private static final long NCHW = 0;
    private static final long[] NO_DILATION = {1, 1};
    /** Input elements below which max pooling runs on libnd4j's own loops rather than oneDNN. */
    private static final long SMALL = 1 << 15;

    private final boolean max;
    private final long[] kernel;
    private final long[] stride;
    private final long[] padding;
    private final boolean ceil;
    private final boolean countIncludePad;

    /** Applied to the input before native pooling in ceil mode: {top, left, bottom, right}; null otherwise. */
    private long[] explicit;
    private long[] iArgs;
    private INDArray xp;
    /** Ceil-mode average only: k_h·k_w / counted cells, [1, 1, oH, oW]. */
    private INDArray rescale;
    private boolean empty;
    private long[] xShape;

    Pool(boolean max, long[] kernel, long[] stride, long[] padding, boolean ceil, boolean countIncludePad) {
        this.max = max;
        this.kernel = kernel.clone();
        this.stride = stride.clone();
        this.padding = padding.clone();
        this.ceil = ceil;
        this.countIncludePad = countIncludePad;
        for (int d = 0; d < 2; d++) {
            if (kernel[d] < 1 || stride[d] < 1 || padding[d] < 0 || padding[d] > kernel[d] / 2) {
                throw new ShapeException(name() + ": kernel and stride must be >= 1 and padding between 0 and half the "
                        + "kernel, got kernel " + Window.pair(kernel) + ", stride " + Window.pair(stride) + ", padding "
                        + Window.pair(padding));
            }
        }
    }

    @Override
    public String name() {
        return max ? "max_pool2d" : "avg_pool2d";
    }

    @Override
    protected INDArray[] forward(INDArray[] in) {
        String op = name();
        if (in.length != 1) {
            throw new ShapeException(op + ": expected 1 input, got " + in.length);
        }
        INDArray x = in[0];
        Window.requireInput(op, x, 2, "C");
        xShape = x.shape();
        long[] out = new long[2];
        long[] extra = new long[2];
        for (int d = 0; d < 2; d++) {
            long i = x.size(2 + d);
            out[d] = Window.poolOutSize(op, xShape, d, i, padding[d], kernel[d], stride[d], ceil);
            // How far the last window reaches past the padded input: only ceil mode makes this positive.
            extra[d] = (out[d] - 1) * stride[d] + kernel[d] - (i + 2 * padding[d]);
        }
        DataType type = x.dataType();
        long[] outShape = {x.size(0), x.size(1), out[0], out[1]};
        empty = Shapes.numel(xShape) == 0;
        if (empty) {
            return new INDArray[] {Nd4j.zeros(type, outShape)};
        }
        // libnd4j's avgpool2d extra param: 0 divides by the cells inside the input, 1 by k_h·k_w.
        long divisor = !max && countIncludePad ? 1 : 0;
        if (extra[0] > 0 || extra[1] > 0) {
            explicit = new long[] {padding[0], padding[1], padding[0] + Math.max(0, extra[0]),
                padding[1] + Math.max(0, extra[1])};
            xp = Native.padOrCrop(x, explicit, max ? Double.NEGATIVE_INFINITY : 0);
            iArgs = Window.iArgs(kernel, stride, new long[] {0, 0}, NO_DILATION, 1, NCHW);
            if (!max) {
                rescale = rescale(type, x.size(2), x.size(3), out);
            }
        } else {
            xp = x;
            iArgs = Window.iArgs(kernel, stride, padding, NO_DILATION, divisor, NCHW);
        }
        INDArray y = Kernels.empty(type, outShape);
        Kernels.exec(max ? "maxpool2d" : "avgpool2d", new INDArray[] {xp}, new INDArray[] {y}, iArgs, null, null,
                oneDnn());
        return new INDArray[] {rescale == null ? y : Native.binary("multiply", y, rescale)};
    }

    /** k_h·k_w / (the cells PyTorch divides by) for every output cell of a ceil-mode average pool. */
    private INDArray rescale(DataType type, long h, long w, long[] out) {
        INDArray ones = Nd4j.ones(type, 1, 1, h, w);
        // Counted cells: the input, plus the symmetric padding when it counts; never ceil mode's extra cells.
        INDArray counted = Native.padOrCrop(ones, new long[] {padding[0], padding[1], padding[0], padding[1]},
                countIncludePad ? 1 : 0);
        counted = Native.padOrCrop(counted, new long[] {0, 0, explicit[2] - padding[0], explicit[3] - padding[1]}, 0);
        INDArray fraction = Kernels.empty(type, 1, 1, out[0], out[1]);
        Kernels.exec("avgpool2d", fraction, iArgs, counted);
        return Nd4j.ones(type, fraction.shape()).divi(fraction);
    }

    @Override
    protected INDArray[] backward(INDArray[] gradOut) {
        if (!needsGrad(0)) {
            return new INDArray[] {null};
        }
        INDArray g = gradOut[0];
        if (empty) {
            return new INDArray[] {Nd4j.zeros(g.dataType(), xShape)};
        }
        if (rescale != null) {
            g = Native.binary("multiply", g, rescale);
        }
        INDArray gxp = Kernels.empty(xp.dataType(), xp.shape());
        Kernels.exec(max ? "maxpool2d_bp" : "avgpool2d_bp", new INDArray[] {xp, g}, new INDArray[] {gxp}, iArgs, null,
                null, oneDnn());
        return new INDArray[] {explicit == null ? gxp : Native.padOrCrop(gxp, Native.negate(explicit), 0)};
    }

    private boolean oneDnn() {
        return max && xp.length() >= SMALL;
    }

    @Override
    public void toOnnx(OnnxBuilder onnx, String[] inputs, String[] outputs) {
        Map<String, Object> attributes = new HashMap<>();
        attributes.put("kernel_shape", kernel.clone());
        attributes.put("strides", stride.clone());
        attributes.put("pads", new long[] {padding[0], padding[1], padding[0], padding[1]});
        attributes.put("ceil_mode", ceil ? 1L : 0L);
        if (!max) {
            attributes.put("count_include_pad", countIncludePad ? 1L : 0L);
        }
        onnx.node(max ? "MaxPool" : "AveragePool", inputs, outputs, attributes);
    }
}

package dev.dendrite.cnn.onnx;

import dev.dendrite.cnn.ops.CnnF;
import dev.dendrite.onnx.OnnxConverter;
import dev.dendrite.onnx.OnnxOp;
import dev.dendrite.ops.F;
import dev.dendrite.tensor.Kernels;
import dev.dendrite.tensor.Shapes;
import dev.dendrite.tensor.Tensor;
import java.util.Arrays;
import java.util.Set;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * ONNX Resize (opsets 10 to 19+) and the deprecated Upsample (7, 9), on any rank.
 *
 * <p>Resizing is separable: each resized axis is one linear map, built on the host by {@link Interpolation}
 * from the coordinate transformation and the mode's coefficients. Nearest is a gather of the chosen
 * positions (or, for an integer upsampling of H and W, libnd4j's native {@code upsampling2d}); linear and
 * cubic a matmul with the [in, out] interpolation matrix along the axis, or for axes longer than
 * {@link #DENSE_MAX} a weighted sum of a few gathers, one per tap (up to that length the matmul is faster:
 * 50 ms against 290 ms for [1, 64, 128, 128] doubled here). All of these are differentiable primitives, so the gradient reaches X. Positions
 * tf_crop_and_resize extrapolates get zero weights, and extrapolation_value is added there at the end.
 */
public final class ResizeConverter implements OnnxConverter {
    /** Axes up to this long use the dense interpolation matrix; longer ones the per-tap gathers. */
    static final long DENSE_MAX = 1024;

    @Override
    public Set<String> opTypes() {
        return Set.of("Resize", "Upsample");
    }

    /**
     * roi and scales (Resize inputs 1 and 2, Upsample's input 1) are settings, not weights: a float initializer
     * there becomes a buffer rather than a trainable parameter.
     */
    @Override
    public boolean isState(String opType, int index) {
        return opType.equals("Resize") ? index == 1 || index == 2 : index == 1;
    }

    @Override
    public Tensor[] convert(OnnxOp op, Tensor[] inputs) {
        return new Tensor[] {resize(op, inputs)};
    }

    private static Tensor resize(OnnxOp op, Tensor[] inputs) {
        Tensor x = op.input(inputs, 0, "X");
        int r = x.rank();
        if (r == 0) {
            throw op.error("X must have rank >= 1");
        }
        boolean legacy = op.opType().equals("Upsample") || op.opset() < 11;
        Interpolation.Settings settings = settings(op, legacy);
        long[] shape = x.shape().clone();

        int[] axes;
        double[] scales = null;
        long[] sizes = null;
        double[] roi = null;
        if (legacy) {
            axes = allAxes(r);
            scales = op.opType().equals("Upsample") && op.opset() < 9 ? op.require("scales", double[].class).clone()
                    : doubles(op, inputs, 1, "scales");
            if (scales == null) {
                throw op.error("missing input 1 (scales)");
            }
        } else {
            axes = axes(op, r);
            roi = doubles(op, inputs, 1, "roi");
            scales = doubles(op, inputs, 2, "scales");
            if (OnnxOp.present(inputs, 3) && inputs[3].data().length() > 0) {
                sizes = op.longs(inputs, 3, "sizes");
            }
            if ((scales == null) == (sizes == null)) {
                throw op.error("exactly one of scales and sizes must be given");
            }
        }
        int k = axes.length;
        if ((scales != null && scales.length != k) || (sizes != null && sizes.length != k)) {
            throw op.error((scales != null ? "scales " + Arrays.toString(scales) : "sizes " + Arrays.toString(sizes))
                    + " must have " + k + " values (one per resized axis of X " + Arrays.toString(shape) + ")");
        }
        double[] scale = new double[k];
        long[] outShape = shape.clone();
        if (scales != null) {
            for (int i = 0; i < k; i++) {
                if (!(scales[i] > 0) || Double.isInfinite(scales[i])) {
                    throw op.error("scales must be positive and finite, got " + Arrays.toString(scales));
                }
                scale[i] = scales[i];
                double o = Math.floor(scales[i] * shape[axes[i]]);
                if (o > Long.MAX_VALUE / 2) {
                    throw op.error("scales " + Arrays.toString(scales) + " make an output too large to hold");
                }
                outShape[axes[i]] = (long) o;
            }
        } else {
            String policy = op.attr("keep_aspect_ratio_policy", "stretch");
            for (int i = 0; i < k; i++) {
                if (sizes[i] < 0) {
                    throw op.error("sizes must be >= 0, got " + Arrays.toString(sizes));
                }
                scale[i] = (double) sizes[i] / shape[axes[i]];
                outShape[axes[i]] = sizes[i];
            }
            if (!policy.equals("stretch")) {
                if (!policy.equals("not_larger") && !policy.equals("not_smaller")) {
                    throw op.error("keep_aspect_ratio_policy '" + policy + "' is not supported (stretch, not_larger, "
                            + "not_smaller)");
                }
                double s = policy.equals("not_larger") ? Double.POSITIVE_INFINITY : 0;
                for (double v : scale) {
                    s = policy.equals("not_larger") ? Math.min(s, v) : Math.max(s, v);
                }
                for (int i = 0; i < k; i++) {
                    scale[i] = s;
                    outShape[axes[i]] = (long) (s * shape[axes[i]] + 0.5);
                }
            }
        }
        op.checkShape(outShape, op.opType() + " output");
        boolean crop = !legacy && settings.transform().equals("tf_crop_and_resize");
        if (crop && (roi == null || roi.length != 2 * k)) {
            throw op.error("tf_crop_and_resize needs roi with " + 2 * k + " values, got "
                    + (roi == null ? "none" : Arrays.toString(roi)));
        }
        if (Shapes.numel(outShape) == 0 || x.data().length() == 0) {
            for (int i = 0; i < k; i++) {
                if (shape[axes[i]] == 0 && outShape[axes[i]] > 0) {
                    throw op.error("cannot resize the empty axis " + axes[i] + " of X " + Arrays.toString(shape)
                            + " to " + outShape[axes[i]]);
                }
            }
            return Tensor.of(Nd4j.zeros(x.dtype(), outShape));
        }
        boolean floating = x.dtype().isFPType();
        if (floating && !crop && settings.mode() == Interpolation.Mode.NEAREST) {
            Tensor fast = integerUpsample(x, outShape, axes, scale, settings);
            if (fast != null) {
                return fast;
            }
        }
        Tensor y = x;
        INDArray kept = null;
        for (int i = 0; i < k; i++) {
            int a = axes[i];
            long in = shape[a];
            long out = outShape[a];
            if (!crop && in == out && scale[i] == 1.0) {
                continue;
            }
            int width = Interpolation.width(settings, scale[i]);
            op.checkShape(new long[] {out, width}, "interpolation taps along axis " + a);
            Interpolation.Taps taps = Interpolation.taps(settings, in, out, scale[i], crop ? roi[i] : 0,
                    crop ? roi[i + k] : 1);
            boolean inside = taps.allInside();
            if (!floating && (settings.mode() != Interpolation.Mode.NEAREST || !inside)) {
                throw op.error(op.opType() + " of a " + x.dtype() + " input is only supported in nearest mode");
            }
            if (settings.mode() == Interpolation.Mode.NEAREST && inside) {
                y = F.gather(y, Tensor.of(Nd4j.createFromArray(taps.nearest())), a);
            } else if (in <= DENSE_MAX) {
                y = Spatial.alongAxis(y, a, Tensor.of(taps.matrix(x.dtype())));
            } else {
                y = weightedGathers(y, a, taps);
            }
            if (!inside) {
                long[] maskShape = new long[r];
                Arrays.fill(maskShape, 1);
                maskShape[a] = out;
                double[] m = new double[(int) out];
                for (int o = 0; o < out; o++) {
                    m[o] = taps.inside()[o] ? 1 : 0;
                }
                INDArray mask = Nd4j.createFromArray(m).reshape('c', maskShape);
                kept = kept == null ? mask : Kernels.exec("multiply", Kernels.empty(DataType.DOUBLE,
                        Shapes.broadcast("multiply", kept.shape(), maskShape)), kept, mask);
            }
        }
        double extrapolation = op.attr("extrapolation_value", 0.0);
        if (kept != null && extrapolation != 0) {
            // extrapolation_value where any axis extrapolated; those positions are 0 so far.
            INDArray fill = kept.rsub(1.0).muli(extrapolation).castTo(x.dtype());
            y = F.add(y, Tensor.of(fill));
        }
        return y;
    }

    /**
     * Nearest upsampling of H and W of [N, C, H, W] by the same integer factor, where every output copies
     * input ⌊o/f⌋ (true for floor, half_pixel and asymmetric rounding alike): libnd4j's native
     * {@code upsampling2d}, twice as fast as two gathers. Null when the case is anything else.
     */
    private static Tensor integerUpsample(Tensor x, long[] outShape, int[] axes, double[] scale,
            Interpolation.Settings settings) {
        long[] in = x.shape();
        if (in.length != 4 || outShape[0] != in[0] || outShape[1] != in[1] || in[2] == 0 || in[3] == 0) {
            return null;
        }
        long f = outShape[2] / in[2];
        if (f < 2 || outShape[2] != f * in[2] || outShape[3] != f * in[3]) {
            return null;
        }
        for (int i = 0; i < axes.length; i++) {
            int a = axes[i];
            if (a < 2) {
                continue;
            }
            long[] pick = Interpolation.taps(settings, in[a], outShape[a], scale[i], 0, 1).nearest();
            for (int o = 0; o < pick.length; o++) {
                if (pick[o] != o / f) {
                    return null;
                }
            }
        }
        return CnnF.upsample2d(x, f, "nearest");
    }

    /** Σ_j gather(x, index_j, axis)·weight_j along {@code axis}: the interpolation of long axes. */
    private static Tensor weightedGathers(Tensor x, int axis, Interpolation.Taps taps) {
        long[] wShape = new long[x.rank()];
        Arrays.fill(wShape, 1);
        wShape[axis] = taps.out();
        Tensor y = null;
        for (int j = 0; j < taps.width(); j++) {
            double[] w = taps.weights(j);
            boolean zero = true;
            for (double v : w) {
                zero &= v == 0;
            }
            if (zero) {
                continue;
            }
            Tensor g = F.gather(x, Tensor.of(Nd4j.createFromArray(taps.indices(j))), axis);
            Tensor term = F.mul(g, Tensor.of(Nd4j.createFromArray(w).castTo(x.dtype()).reshape('c', wShape)));
            y = y == null ? term : F.add(y, term);
        }
        if (y == null) {
            long[] s = x.shape().clone();
            s[axis] = taps.out();
            return Spatial.zeros(x.dtype(), s);
        }
        return y;
    }

    private static Interpolation.Settings settings(OnnxOp op, boolean legacy) {
        String mode = op.attr("mode", "nearest");
        Interpolation.Mode m = switch (mode) {
            case "nearest" -> Interpolation.Mode.NEAREST;
            case "linear", "bilinear" -> {
                if (mode.equals("bilinear") && !legacy) {
                    throw op.error("mode 'bilinear' is not supported (nearest, linear, cubic)");
                }
                yield Interpolation.Mode.LINEAR;
            }
            case "cubic" -> {
                if (legacy) {
                    throw op.error("mode 'cubic' is not supported before opset 11");
                }
                yield Interpolation.Mode.CUBIC;
            }
            default -> throw op.error("mode '" + mode + "' is not supported (nearest, linear, cubic)");
        };
        if (legacy) {
            return new Interpolation.Settings(m, "asymmetric", "floor", -0.75, false, false, true);
        }
        String transform = op.attr("coordinate_transformation_mode", "half_pixel");
        switch (transform) {
            case "half_pixel", "pytorch_half_pixel", "align_corners", "asymmetric", "tf_crop_and_resize" -> { }
            case "half_pixel_symmetric" -> {
                if (op.opset() < 19) {
                    throw op.error("coordinate_transformation_mode 'half_pixel_symmetric' needs opset 19");
                }
            }
            case "tf_half_pixel_for_nn" -> {
                if (op.opset() >= 13) {
                    throw op.error("coordinate_transformation_mode 'tf_half_pixel_for_nn' exists only in opsets 11-12");
                }
            }
            default -> throw op.error("coordinate_transformation_mode '" + transform + "' is not supported");
        }
        String nearest = op.attr("nearest_mode", "round_prefer_floor");
        switch (nearest) {
            case "round_prefer_floor", "round_prefer_ceil", "floor", "ceil" -> { }
            default -> throw op.error("nearest_mode '" + nearest + "' is not supported");
        }
        double a = op.attr("cubic_coeff_a", -0.75);
        long exclude = op.attr("exclude_outside", 0L);
        long antialias = op.attr("antialias", 0L);
        if ((exclude != 0 && exclude != 1) || (antialias != 0 && antialias != 1) || !Double.isFinite(a)) {
            throw op.error("exclude_outside and antialias must be 0 or 1 and cubic_coeff_a finite, got " + exclude
                    + ", " + antialias + ", " + a);
        }
        return new Interpolation.Settings(m, transform, nearest, a, exclude == 1,
                antialias == 1 && m != Interpolation.Mode.NEAREST, false);
    }

    private static int[] allAxes(int r) {
        int[] a = new int[r];
        for (int i = 0; i < r; i++) {
            a[i] = i;
        }
        return a;
    }

    private static int[] axes(OnnxOp op, int r) {
        long[] given = op.opset() >= 18 ? op.attr("axes", (long[]) null) : null;
        if (given == null) {
            return allAxes(r);
        }
        int[] a = new int[given.length];
        boolean[] seen = new boolean[r];
        for (int i = 0; i < given.length; i++) {
            long v = given[i] < 0 ? given[i] + r : given[i];
            if (v < 0 || v >= r || seen[(int) v]) {
                throw op.error("axes " + Arrays.toString(given) + " must be distinct axes of a rank-" + r + " input");
            }
            seen[(int) v] = true;
            a[i] = (int) v;
        }
        return a;
    }

    /** A floating vector input's values, or null when it is absent or empty. */
    private static double[] doubles(OnnxOp op, Tensor[] inputs, int i, String what) {
        if (!OnnxOp.present(inputs, i) || inputs[i].data().length() == 0) {
            return null;
        }
        Tensor t = inputs[i];
        if (!t.dtype().isFPType() || t.rank() > 1) {
            throw op.error("input " + i + " (" + what + ") must be a floating vector, got " + t.dtype()
                    + Arrays.toString(t.shape()));
        }
        return t.data().castTo(DataType.DOUBLE).reshape(t.data().length()).toDoubleVector();
    }
}

package dev.dendrite.cnn.onnx;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * ONNX Resize's one-dimensional interpolation, written out as weights: for each output position, the input
 * positions it reads and their weights, from the coordinate transformation and the mode's coefficients
 * exactly as ONNX's reference implementation computes them (nearest with every rounding, linear and cubic
 * with cubic_coeff_a, exclude_outside, antialias, and tf_crop_and_resize's extrapolated positions). Resizing
 * is separable, so an N-D resize applies these along each axis in turn.
 */
final class Interpolation {
    private Interpolation() {}

    enum Mode {
        NEAREST, LINEAR, CUBIC
    }

    /**
     * @param transform coordinate_transformation_mode
     * @param legacy Upsample and opset-10 Resize: asymmetric coordinates, and nearest rounds down when
     *     upsampling and up when downsampling (what those versions' runtimes did)
     */
    record Settings(Mode mode, String transform, String nearestMode, double cubicA, boolean excludeOutside,
            boolean antialias, boolean legacy) {}

    /**
     * Output position o reads input {@code index[o·width + j]} with {@code weight[o·width + j]}, j < width
     * (indices already clamped into [0, in)); {@code inside[o]} is false where tf_crop_and_resize extrapolates
     * (all weights 0 there).
     */
    record Taps(int width, long in, long out, long[] index, double[] weight, boolean[] inside) {
        boolean allInside() {
            for (boolean b : inside) {
                if (!b) {
                    return false;
                }
            }
            return true;
        }

        /** The [in, out] matrix M with y = x·M along the axis. */
        INDArray matrix(DataType type) {
            double[][] m = new double[(int) in][(int) out];
            for (int o = 0; o < out; o++) {
                for (int j = 0; j < width; j++) {
                    m[(int) index[o * width + j]][o] += weight[o * width + j];
                }
            }
            return Nd4j.createFromArray(m).castTo(type);
        }

        /** Nearest mode: the one input position each output copies (the tap of largest weight). */
        long[] nearest() {
            long[] pick = new long[(int) out];
            for (int o = 0; o < out; o++) {
                int best = 0;
                for (int j = 1; j < width; j++) {
                    if (weight[o * width + j] > weight[o * width + best]) {
                        best = j;
                    }
                }
                pick[o] = index[o * width + best];
            }
            return pick;
        }

        /** Tap j of every output: its indices. */
        long[] indices(int j) {
            long[] v = new long[(int) out];
            for (int o = 0; o < out; o++) {
                v[o] = index[o * width + j];
            }
            return v;
        }

        /** Tap j of every output: its weights. */
        double[] weights(int j) {
            double[] v = new double[(int) out];
            for (int o = 0; o < out; o++) {
                v[o] = weight[o * width + j];
            }
            return v;
        }
    }

    /** Taps per output position for this mode and scale: 1 (legacy nearest), 2, 4, or more with antialias. */
    static int width(Settings s, double scale) {
        if (s.legacy() && s.mode() == Mode.NEAREST) {
            return 1;
        }
        double sc = Math.min(scale, 1.0);
        return switch (s.mode()) {
            case NEAREST -> 2;
            case LINEAR -> s.antialias() ? (int) (2 - 2 * (Math.floor(-1 / sc) + 1)) : 2;
            case CUBIC -> s.antialias() ? (int) (2 - 2 * (Math.floor(-2 / sc) + 1)) : 4;
        };
    }

    /**
     * The taps resizing {@code in} positions to {@code out} with {@code scale} (out/in for sizes);
     * {@code roiStart}/{@code roiEnd} are read by tf_crop_and_resize only.
     */
    static Taps taps(Settings s, long in, long out, double scale, double roiStart, double roiEnd) {
        int width = width(s, scale);
        long[] index = new long[(int) (out * width)];
        double[] weight = new double[index.length];
        boolean[] inside = new boolean[(int) out];
        double outWidth = scale * in;
        for (int o = 0; o < out; o++) {
            int at = o * width;
            inside[o] = true;
            if (s.legacy() && s.mode() == Mode.NEAREST) {
                double xo = o / scale;
                long i = scale < 1 ? (long) Math.ceil(xo) : (long) Math.floor(xo);
                index[at] = clamp(i, in);
                weight[at] = 1;
                continue;
            }
            double xo = original(s.legacy() ? "asymmetric" : s.transform(), o, in, out, scale, outWidth, roiStart,
                    roiEnd);
            if (Double.isNaN(xo)) {
                inside[o] = false;
                continue;
            }
            double floor = Math.floor(xo);
            // The ratio lies in (0, 1]: an integral coordinate counts as 1 past the position to its left.
            double ratio = xo == floor ? 1 : xo - floor;
            long base = (long) floor - (xo == floor ? 1 : 0);
            double[] c = coefficients(s, ratio, scale, width);
            long first = base - width / 2 + 1;
            if (s.excludeOutside()) {
                double sum = 0;
                for (int j = 0; j < width; j++) {
                    long i = first + j;
                    if (i < 0 || i >= in) {
                        c[j] = 0;
                    }
                    sum += c[j];
                }
                for (int j = 0; j < width; j++) {
                    c[j] /= sum;
                }
            }
            for (int j = 0; j < width; j++) {
                index[at + j] = clamp(first + j, in);
                weight[at + j] = c[j];
            }
        }
        return new Taps(width, in, out, index, weight, inside);
    }

    private static long clamp(long i, long in) {
        return Math.max(0, Math.min(in - 1, i));
    }

    /** The input coordinate of output position x, or NaN where tf_crop_and_resize extrapolates. */
    private static double original(String transform, long x, long in, long out, double scale, double outWidth,
            double roiStart, double roiEnd) {
        return switch (transform) {
            case "half_pixel" -> (x + 0.5) / scale - 0.5;
            case "half_pixel_symmetric" -> {
                double adjustment = out / outWidth;
                double center = in / 2.0;
                double offset = center * (1 - adjustment);
                yield offset + (x + 0.5) / scale - 0.5;
            }
            case "pytorch_half_pixel" -> outWidth == 1 ? -0.5 : (x + 0.5) / scale - 0.5;
            case "align_corners" -> outWidth == 1 ? 0 : x * (in - 1) / (outWidth - 1);
            case "asymmetric" -> x / scale;
            case "tf_half_pixel_for_nn" -> (x + 0.5) / scale;
            case "tf_crop_and_resize" -> {
                // roi arrives as float32: its difference and start offset are float32 products, as in ONNX's reference.
                double extent = (float) roiEnd - (float) roiStart;
                double xo = outWidth == 1 ? extent * (in - 1) / 2 : x * extent * (in - 1) / (outWidth - 1);
                xo += (double) ((float) roiStart * (float) (in - 1));
                yield xo < 0 || xo > in - 1 ? Double.NaN : xo;
            }
            default -> throw new IllegalArgumentException("coordinate_transformation_mode " + transform);
        };
    }

    private static double[] coefficients(Settings s, double ratio, double scale, int width) {
        switch (s.mode()) {
            case NEAREST -> {
                if (ratio == 1) {
                    return new double[] {0, 1};
                }
                boolean up = switch (s.nearestMode()) {
                    case "round_prefer_floor" -> ratio > 0.5;
                    case "round_prefer_ceil" -> ratio >= 0.5;
                    case "floor" -> false;
                    case "ceil" -> true;
                    default -> throw new IllegalArgumentException("nearest_mode " + s.nearestMode());
                };
                return up ? new double[] {0, 1} : new double[] {1, 0};
            }
            case LINEAR -> {
                if (!s.antialias()) {
                    return new double[] {1 - ratio, ratio};
                }
                double sc = Math.min(scale, 1.0);
                long start = (long) Math.floor(-1 / sc) + 1;
                double[] c = new double[width];
                for (int j = 0; j < width; j++) {
                    c[j] = Math.max(0, Math.min(1, 1 - Math.abs((start + j - ratio) * sc)));
                }
                return normalised(c);
            }
            default -> {
                double a = s.cubicA();
                if (!s.antialias()) {
                    return new double[] {cubic(ratio + 1, a), cubic(ratio, a), cubic(1 - ratio, a),
                        cubic(2 - ratio, a)};
                }
                double sc = Math.min(scale, 1.0);
                long start = (long) Math.floor(-2 / sc) + 1;
                double[] c = new double[width];
                for (int j = 0; j < width; j++) {
                    c[j] = cubic(sc * (start + j - ratio), a);
                }
                return normalised(c);
            }
        }
    }

    /** Keys' cubic convolution kernel with parameter a. */
    private static double cubic(double x, double a) {
        x = Math.abs(x);
        if (x <= 1) {
            return ((a + 2) * x - (a + 3)) * x * x + 1;
        }
        if (x < 2) {
            return ((a * x - 5 * a) * x + 8 * a) * x - 4 * a;
        }
        return 0;
    }

    private static double[] normalised(double[] c) {
        double sum = 0;
        for (double v : c) {
            sum += v;
        }
        for (int j = 0; j < c.length; j++) {
            c[j] /= sum;
        }
        return c;
    }
}

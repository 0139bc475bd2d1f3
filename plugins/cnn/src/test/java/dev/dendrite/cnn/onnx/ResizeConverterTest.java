package dev.dendrite.cnn.onnx;

import static dev.dendrite.cnn.onnx.Naive.op;
import static dev.dendrite.cnn.onnx.Naive.values;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.point;

import dev.dendrite.onnx.OnnxImportException;
import dev.dendrite.onnx.OnnxOp;
import dev.dendrite.tensor.Tensor;
import dev.dendrite.testkit.Compare;
import dev.dendrite.testkit.GradCheck;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Resize and Upsample through the converter: values, gradients with respect to X, export, bad input. */
class ResizeConverterTest {
    private static final ResizeConverter CONVERTER = new ResizeConverter();

    private static Map<String, Object> attrs(Object... kv) {
        Map<String, Object> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    private static Tensor floats(double... v) {
        return Tensor.of(Nd4j.createFromArray(v).castTo(DataType.FLOAT));
    }

    private static Tensor longs(long... v) {
        return Tensor.of(Nd4j.createFromArray(v));
    }

    private static Tensor resize(OnnxOp op, Tensor... inputs) {
        return CONVERTER.convert(op, inputs)[0];
    }

    private static Tensor image(DataType t, double[] v, long... shape) {
        return Tensor.of(Nd4j.create(v, shape, DataType.DOUBLE).castTo(t));
    }

    private static void assertValues(double[] expected, long[] shape, Tensor actual, double tol) {
        assertArrayEquals(shape, actual.shape(), "shape");
        double[] got = actual.data().castTo(DataType.DOUBLE).reshape(actual.data().length()).toDoubleVector();
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], got[i], tol, "element " + i + " of " + Arrays.toString(got));
        }
    }

    @Test
    void nearestAndLinearUpsamplingAsTheSpecShowsThem() {
        Tensor x = image(DataType.FLOAT, new double[] {1, 2, 3, 4}, 1, 1, 2, 2);
        // ONNX's resize_upsample_scales_nearest and resize_upsample_scales_linear examples.
        assertValues(new double[] {1, 1, 1, 2, 2, 2, 1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4, 3, 3, 3, 4, 4, 4},
                new long[] {1, 1, 4, 6}, resize(op("Resize", 13, attrs("mode", "nearest")), x, null,
                        floats(1, 1, 2, 3)), 0);
        assertValues(new double[] {1, 1.25, 1.75, 2, 1.5, 1.75, 2.25, 2.5, 2.5, 2.75, 3.25, 3.5, 3, 3.25, 3.75, 4},
                new long[] {1, 1, 4, 4}, resize(op("Resize", 13, attrs("mode", "linear")), x, null,
                        floats(1, 1, 2, 2)), 1e-6);
        // Upsample (opset 7 attribute, opset 9 input) and opset-10 Resize: nearest by ⌊o/s⌋.
        double[] repeated = {1, 1, 1, 2, 2, 2, 1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4, 3, 3, 3, 4, 4, 4};
        assertValues(repeated, new long[] {1, 1, 4, 6}, resize(op("Upsample", 7, attrs("scales",
                new double[] {1, 1, 2, 3})), x), 0);
        assertValues(repeated, new long[] {1, 1, 4, 6}, resize(op("Upsample", 9, attrs()), x, floats(1, 1, 2, 3)),
                0);
        assertValues(repeated, new long[] {1, 1, 4, 6}, resize(op("Resize", 10, attrs()), x, floats(1, 1, 2, 3)), 0);
    }

    @Test
    void roiAndScalesAreNotTrainable() {
        assertTrue(CONVERTER.isState("Resize", 1) && CONVERTER.isState("Resize", 2));
        assertTrue(CONVERTER.isState("Upsample", 1));
        assertTrue(!CONVERTER.isState("Resize", 0) && !CONVERTER.isState("Resize", 3));
    }

    @Test
    void opset11TfHalfPixelForNearest() {
        // (o + ½)/2 = 0.25, 0.75, 1.25, 1.75, rounded half down: 0, 1, 1, 2.
        Tensor x = image(DataType.FLOAT, new double[] {1, 2, 3, 4}, 1, 4);
        OnnxOp op = op("Resize", 11, attrs("coordinate_transformation_mode", "tf_half_pixel_for_nn"));
        assertValues(new double[] {1, 2, 2, 3, 3, 4, 4, 4}, new long[] {1, 8}, resize(op, x, floats(), floats(1, 2)),
                0);
        assertThrows(OnnxImportException.class, () -> resize(op("Resize", 13, attrs("coordinate_transformation_mode",
                "tf_half_pixel_for_nn")), x, null, floats(1, 2)));
    }

    @Test
    void integerNearestUpsamplingTakesTheNativeKernelOnlyWhereItMatches() {
        Tensor x = Tensor.of(values(25, 2, 3, 4, 5));
        INDArray repeated = Nd4j.zeros(DataType.DOUBLE, 2, 3, 8, 10);
        for (int h = 0; h < 8; h++) {
            for (int w = 0; w < 10; w++) {
                repeated.get(all(), all(), point(h), point(w)).assign(x.data().get(all(), all(), point(h / 2),
                        point(w / 2)));
            }
        }
        for (String transform : new String[] {"half_pixel", "asymmetric", "pytorch_half_pixel"}) {
            Tensor y = resize(op("Resize", 19, attrs("coordinate_transformation_mode", transform)), x, null,
                    floats(1, 1, 2, 2));
            Compare.assertBitEqual(transform, y.data(), repeated);
        }
        // Asymmetric with round_prefer_ceil reads 0, 1, 1, 2, 2, ...: not ⌊o/2⌋, so not the native kernel.
        Tensor y = resize(op("Resize", 19, attrs("coordinate_transformation_mode", "asymmetric", "nearest_mode",
                "round_prefer_ceil")), x, null, floats(1, 1, 2, 2));
        assertEquals(x.data().getDouble(0, 0, 1, 1), y.data().getDouble(0, 0, 1, 1), 0);
        assertEquals(x.data().getDouble(0, 0, 3, 4), y.data().getDouble(0, 0, 7, 9), 0);
        assertEquals(x.data().getDouble(0, 0, 2, 3), y.data().getDouble(0, 0, 4, 6), 0);
        Tensor xl = Naive.leaf(26, 1, 2, 3, 3);
        GradCheck.check("nearest x2 (native)", Map.of("x", xl), () -> resize(op("Resize", 19, attrs()), xl, null,
                floats(1, 1, 2, 2)));
    }

    @Test
    void legacyNearestDownsamplingRoundsUp() {
        // Opset-10 Resize, scale 0.5 on [1, 2, 3, 4]: positions ⌈0/0.5⌉ = 0 and ⌈1/0.5⌉ = 2.
        Tensor x = image(DataType.FLOAT, new double[] {1, 2, 3, 4}, 1, 4);
        assertValues(new double[] {1, 3}, new long[] {1, 2}, resize(op("Resize", 10, attrs()), x, floats(1, 0.5)), 0);
    }

    @Test
    void integerInputsResizeInNearestModeOnly() {
        Tensor x = Tensor.of(Nd4j.createFromArray(new int[] {1, 2, 3, 4}).reshape(1, 1, 2, 2));
        Tensor y = resize(op("Resize", 19, attrs("mode", "nearest")), x, null, null, longs(1, 1, 3, 3));
        assertEquals(DataType.INT32, y.dtype());
        assertArrayEquals(new long[] {1, 1, 3, 3}, y.shape());
        OnnxImportException e = assertThrows(OnnxImportException.class, () -> resize(op("Resize", 19,
                attrs("mode", "linear")), x, null, null, longs(1, 1, 3, 3)));
        assertTrue(e.getMessage().contains("nearest"), e.getMessage());
    }

    /** Every interpolation path, differentiated with respect to X. */
    static Stream<Arguments> gradientCases() {
        return Stream.of(
                Arguments.of("linear half_pixel up", attrs("mode", "linear"), new long[] {2, 2, 3, 4}, null,
                        new double[] {1, 1, 1.5, 2.25}, null),
                Arguments.of("linear align_corners down", attrs("mode", "linear", "coordinate_transformation_mode",
                        "align_corners"), new long[] {1, 2, 5, 6}, null, new double[] {1, 1, 0.6, 0.5}, null),
                Arguments.of("cubic antialias down", attrs("mode", "cubic", "antialias", 1L),
                        new long[] {1, 1, 7, 8}, null, new double[] {1, 1, 0.5, 0.4}, null),
                Arguments.of("cubic exclude_outside up", attrs("mode", "cubic", "exclude_outside", 1L,
                        "cubic_coeff_a", -0.5), new long[] {1, 2, 3, 3}, null, new double[] {1, 1, 2, 1.7}, null),
                Arguments.of("linear antialias sizes, axes", attrs("mode", "linear", "antialias", 1L, "axes",
                        new long[] {3, 2}), new long[] {1, 2, 6, 7}, null, null, new long[] {3, 4}),
                Arguments.of("nearest round_prefer_ceil", attrs("mode", "nearest", "nearest_mode",
                        "round_prefer_ceil"), new long[] {1, 2, 3, 4}, null, new double[] {1, 1, 1.7, 0.8}, null),
                Arguments.of("tf_crop_and_resize extrapolating", attrs("mode", "linear",
                        "coordinate_transformation_mode", "tf_crop_and_resize", "extrapolation_value", 2.5),
                        new long[] {1, 1, 4, 5}, new double[] {0, 0, -0.2, 0.3, 1, 1, 0.9, 1.4}, null,
                        new long[] {1, 1, 5, 4}),
                Arguments.of("cubic along a long axis (per-tap gathers)", attrs("mode", "cubic"),
                        new long[] {1, 1, 1, ResizeConverter.DENSE_MAX + 6}, null, new double[] {1, 1, 1, 0.1}, null),
                Arguments.of("3-D linear", attrs("mode", "linear"), new long[] {1, 1, 3, 2, 3}, null,
                        new double[] {1, 1, 1.5, 2, 0.7}, null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("gradientCases")
    void resizeIsDifferentiableInX(String name, Map<String, Object> a, long[] shape, double[] roi, double[] scales,
            long[] sizes) {
        Tensor x = Naive.leaf(21, shape);
        OnnxOp op = op("Resize", 19, a);
        Tensor r = roi == null ? null : Tensor.of(Nd4j.createFromArray(roi).castTo(DataType.FLOAT));
        Tensor s = scales == null ? null : floats(scales);
        Tensor z = sizes == null ? null : longs(sizes);
        GradCheck.check("resize " + name, Map.of("x", x), () -> resize(op, x, r, s, z));
    }

    @Test
    void longAxesUseTheSameWeightsAsShortOnes() {
        // The per-tap gathers (axis longer than DENSE_MAX) against the dense matrix of the same taps.
        long in = ResizeConverter.DENSE_MAX + 22;
        Tensor x = Tensor.of(values(22, 2, 3, in));
        for (String mode : new String[] {"linear", "cubic"}) {
            Tensor y = resize(op("Resize", 19, attrs("mode", mode, "antialias", 1L)), x, null, null, longs(2, 3, 61));
            Interpolation.Taps taps = Interpolation.taps(new Interpolation.Settings(mode.equals("linear")
                    ? Interpolation.Mode.LINEAR : Interpolation.Mode.CUBIC, "half_pixel", "round_prefer_floor", -0.75,
                    false, true, false), in, 61, 61.0 / in, 0, 1);
            INDArray expected = x.data().reshape(6, in).mmul(taps.matrix(DataType.DOUBLE)).reshape(2, 3, 61);
            double diff = Compare.maxAbsDiff(mode, y.data(), expected);
            assertTrue(diff < 1e-12, mode + ": " + diff);
        }
    }

    @Test
    void exportedResizesAgreeWithOnnxRuntime() {
        for (Map<String, Object> a : new Map[] {attrs("mode", "nearest"), attrs("mode", "linear"),
            attrs("mode", "cubic", "antialias", 1L), attrs("mode", "linear", "coordinate_transformation_mode",
                    "tf_crop_and_resize", "extrapolation_value", -1.0)}) {
            // Axes 2 and 3 only, so the batch stays free (the check runs twice the batch too).
            Map<String, Object> withAxes = new HashMap<>(a);
            withAxes.put("axes", new long[] {2, 3});
            OnnxOp op = op("Resize", 19, withAxes);
            Tensor roi = floats(0.1, -0.2, 0.8, 1.1);
            OrtCheck.agree("resize " + a, (x, w) -> resize(op, x, roi, null, longs(5, 9)),
                    Naive.normal(DataType.FLOAT, 23, 1, 2, 4, 6));
        }
    }

    @Test
    void oversizedOrMalformedRequestsAreRefused() {
        Tensor x = Naive.normal(DataType.FLOAT, 24, 1, 1, 4, 4);
        OnnxOp linear = op("Resize", 19, attrs("mode", "linear"));
        OnnxImportException huge = assertThrows(OnnxImportException.class,
                () -> resize(linear, x, null, null, longs(1, 1, 1_000_000, 1_000_000)));
        assertTrue(huge.getMessage().contains("my_resize") && huge.getMessage().contains("elements"),
                huge.getMessage());
        assertThrows(OnnxImportException.class, () -> resize(linear, x, null, floats(1, 1, 1e9, 1e9)));
        assertThrows(OnnxImportException.class, () -> resize(linear, x, null, floats(1, 1, 2, 2), longs(1, 1, 8, 8)));
        assertThrows(OnnxImportException.class, () -> resize(linear, x, null, null, null));
        assertThrows(OnnxImportException.class, () -> resize(linear, x, null, floats(1, 2, 2)));
        assertThrows(OnnxImportException.class, () -> resize(linear, x, null, floats(1, 1, -2, 2)));
        assertThrows(OnnxImportException.class, () -> resize(linear, x, null, null, longs(1, 1, -3, 3)));
        assertThrows(OnnxImportException.class, () -> resize(linear, x, null, floats(1, 1, Double.NaN, 2)));
        assertThrows(OnnxImportException.class, () -> resize(op("Resize", 19, attrs("mode", "area")), x, null,
                floats(1, 1, 2, 2)));
        assertThrows(OnnxImportException.class, () -> resize(op("Resize", 19, attrs(
                "coordinate_transformation_mode", "centre")), x, null, floats(1, 1, 2, 2)));
        assertThrows(OnnxImportException.class, () -> resize(op("Resize", 19, attrs("nearest_mode", "up")), x, null,
                floats(1, 1, 2, 2)));
        assertThrows(OnnxImportException.class, () -> resize(op("Resize", 19, attrs("axes", new long[] {2, -2})), x,
                null, floats(2, 2)));
        assertThrows(OnnxImportException.class, () -> resize(op("Resize", 19, attrs("keep_aspect_ratio_policy",
                "fit")), x, null, null, longs(1, 1, 3, 3)));
        assertThrows(OnnxImportException.class, () -> resize(op("Resize", 19, attrs(
                "coordinate_transformation_mode", "tf_crop_and_resize")), x, null, null, longs(1, 1, 3, 3)));
        assertThrows(OnnxImportException.class, () -> resize(op("Resize", 19, attrs()), x, null,
                longs(1, 1, 2, 2)));
        assertThrows(OnnxImportException.class, () -> resize(op("Resize", 10, attrs("mode", "cubic")), x,
                floats(1, 1, 2, 2)));
        assertThrows(OnnxImportException.class, () -> resize(op("Upsample", 7, attrs()), x));
    }
}

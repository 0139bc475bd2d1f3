package dev.dendrite.cnn.onnx;

import static dev.dendrite.cnn.onnx.Naive.leaf;
import static dev.dendrite.cnn.onnx.Naive.op;
import static dev.dendrite.cnn.onnx.Naive.values;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dendrite.onnx.OnnxImportException;
import dev.dendrite.onnx.OnnxOp;
import dev.dendrite.ops.Clamp;
import dev.dendrite.ops.F;
import dev.dendrite.tensor.Tensor;
import dev.dendrite.testkit.Compare;
import dev.dendrite.testkit.GradCheck;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Conv and ConvTranspose through the converter, against {@link Naive}'s loops, with gradients and bad input. */
class ConvConverterTest {
    private static final ConvConverter CONVERTER = new ConvConverter();

    private static Map<String, Object> attrs(Object... kv) {
        Map<String, Object> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    private static Tensor run(OnnxOp op, Tensor... in) {
        return CONVERTER.convert(op, in)[0];
    }

    private static void assertClose(INDArray expected, INDArray actual, double tol) {
        Compare.assertClose("converter output", actual, expected, tol);
    }

    // ---------------------------------------------------------------- Conv

    /** x shape, w shape, attributes, expected pads {begin..., end...} and output spatial dims. */
    static Stream<Arguments> convCases() {
        return Stream.of(
                Arguments.of("1-D strided, asymmetric pads", new long[] {2, 3, 9}, new long[] {4, 3, 3},
                        attrs("strides", new long[] {2}, "pads", new long[] {1, 2}), new long[] {1, 2}),
                Arguments.of("1-D dilated, grouped", new long[] {1, 4, 10}, new long[] {6, 2, 3},
                        attrs("dilations", new long[] {2}, "group", 2L), new long[] {0, 0}),
                Arguments.of("2-D SAME_UPPER stride 2", new long[] {1, 2, 6, 5}, new long[] {3, 2, 3, 2},
                        attrs("auto_pad", "SAME_UPPER", "strides", new long[] {2, 2}), null),
                Arguments.of("2-D SAME_LOWER", new long[] {1, 2, 5, 5}, new long[] {2, 2, 2, 2},
                        attrs("auto_pad", "SAME_LOWER"), new long[] {1, 1, 0, 0}),
                Arguments.of("2-D depthwise, dilated", new long[] {2, 3, 7, 6}, new long[] {6, 1, 2, 3},
                        attrs("group", 3L, "dilations", new long[] {2, 1}, "pads", new long[] {1, 0, 0, 2}),
                        new long[] {1, 0, 0, 2}),
                Arguments.of("3-D plain", new long[] {2, 2, 4, 5, 3}, new long[] {3, 2, 2, 3, 2}, attrs(),
                        new long[] {0, 0, 0, 0, 0, 0}),
                Arguments.of("3-D strided, padded, dilated, grouped", new long[] {1, 4, 7, 5, 6},
                        new long[] {4, 2, 3, 2, 2}, attrs("group", 2L, "strides", new long[] {2, 1, 2}, "dilations",
                                new long[] {2, 1, 1}, "pads", new long[] {1, 0, 1, 2, 1, 0}),
                        new long[] {1, 0, 1, 2, 1, 0}),
                Arguments.of("3-D SAME_UPPER", new long[] {1, 1, 5, 4, 3}, new long[] {2, 1, 3, 2, 2},
                        attrs("auto_pad", "SAME_UPPER", "strides", new long[] {2, 1, 1}), null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("convCases")
    void convMatchesTheDefinition(String name, long[] xs, long[] ws, Map<String, Object> a, long[] pads) {
        int n = xs.length - 2;
        long[] mShape = {ws[0]};
        for (DataType t : new DataType[] {DataType.DOUBLE, DataType.FLOAT}) {
            Tensor x = Tensor.of(values(1, xs).castTo(t));
            Tensor w = Tensor.of(values(2, ws).castTo(t));
            Tensor b = Tensor.of(values(3, mShape).castTo(t));
            Tensor y = run(op("Conv", 22, a), x, w, b);
            long[] stride = (long[]) a.getOrDefault("strides", ones(n));
            long[] dilation = (long[]) a.getOrDefault("dilations", ones(n));
            long[] begin = new long[n];
            if (pads != null) {
                System.arraycopy(pads, 0, begin, 0, n);
            } else {
                // SAME_*: recompute as the spec says.
                for (int i = 0; i < n; i++) {
                    long in = xs[i + 2];
                    long out = (in + stride[i] - 1) / stride[i];
                    long total = Math.max(0, (out - 1) * stride[i] + (ws[i + 2] - 1) * dilation[i] + 1 - in);
                    begin[i] = "SAME_UPPER".equals(a.get("auto_pad")) ? total / 2 : total - total / 2;
                }
            }
            long[] out = new long[n];
            System.arraycopy(y.shape(), 2, out, 0, n);
            INDArray expected = Naive.conv(x.data().castTo(DataType.DOUBLE), w.data().castTo(DataType.DOUBLE),
                    b.data().castTo(DataType.DOUBLE), stride, dilation, begin, out, (long) a.getOrDefault("group", 1L));
            assertClose(expected, y.data(), t == DataType.DOUBLE ? 1e-10 : 1e-4);
        }
    }

    /**
     * x shape, w shape, attributes and a clamp the importer fused into the Conv: each of the convolution's paths
     * (1×1 GEMMs at batch 1, depthwise with channels innermost, depthwise stacks, oneDNN, 1-D after the fact).
     */
    static Stream<Arguments> clampCases() {
        Clamp relu6 = new Clamp(0, 6);
        Clamp narrow = new Clamp(-0.4, 0.5);
        return Stream.of(
                Arguments.of("1x1, batch 1 (GEMM)", new long[] {1, 6, 5, 4}, new long[] {4, 6, 1, 1}, attrs(), narrow),
                Arguments.of("depthwise 3x3 stride 2, small planes (channels innermost)", new long[] {2, 20, 7, 7},
                        new long[] {20, 1, 3, 3}, attrs("group", 20L, "strides", new long[] {2, 2}, "pads",
                                new long[] {1, 1, 1, 1}), narrow),
                Arguments.of("depthwise 3x3, 12x12 planes (stacks)", new long[] {2, 3, 12, 12},
                        new long[] {3, 1, 3, 3}, attrs("group", 3L, "pads", new long[] {1, 1, 1, 1}), Clamp.RELU),
                Arguments.of("3x3 (oneDNN)", new long[] {2, 3, 6, 6}, new long[] {4, 3, 3, 3}, attrs(), relu6),
                Arguments.of("1-D, clamped after", new long[] {2, 3, 9}, new long[] {4, 3, 3}, attrs(), narrow));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clampCases")
    void aFusedClampIsTheActivationAppliedAfterTheConv(String name, long[] xs, long[] ws, Map<String, Object> a,
            Clamp clamp) {
        for (DataType t : new DataType[] {DataType.DOUBLE, DataType.FLOAT}) {
            Tensor x = Tensor.of(values(1, xs).castTo(t));
            Tensor w = Tensor.of(values(2, ws).castTo(t));
            Tensor b = Tensor.of(values(3, ws[0]).castTo(t));
            OnnxOp op = op("Conv", 13, a);
            INDArray expected = F.clip(run(op, x, w, b), clamp.min(), clamp.max()).data();
            assertClose(expected, run(op.withClamp(clamp), x, w, b).data(), t == DataType.DOUBLE ? 1e-12 : 1e-6);
        }
        Tensor x = leaf(4, xs);
        Tensor w = leaf(5, ws);
        Tensor b = leaf(6, ws[0]);
        Map<String, Tensor> leaves = new LinkedHashMap<>();
        leaves.put("x", x);
        leaves.put("w", w);
        leaves.put("b", b);
        OnnxOp fused = op("Conv", 13, a).withClamp(clamp);
        GradCheck.check(name, leaves, () -> run(fused, x, w, b));
        double diff = OrtCheck.agree(name, (in, p) -> run(fused, in, p[0], p[1]),
                Naive.normal(DataType.FLOAT, 7, xs), values(2, ws).castTo(DataType.FLOAT),
                values(3, ws[0]).castTo(DataType.FLOAT));
        assertTrue(diff < 1e-4, name + ": ONNX Runtime differs by " + diff);
    }

    @Test
    void theClampsGradientStopsAtItsBoundsAsPyTorchsReluSixDoes() {
        // A 1×1 convolution with weight 1 and no bias is the identity: outputs exactly on a bound get no gradient.
        INDArray values = org.nd4j.linalg.factory.Nd4j.createFromArray(-1f, 0f, 0.5f, 6f, 7f).reshape(1, 1, 1, 5);
        Tensor x = Tensor.leaf(values);
        Tensor w = Tensor.of(org.nd4j.linalg.factory.Nd4j.ones(DataType.FLOAT, 1, 1, 1, 1));
        Tensor y = run(op("Conv", 13, attrs()).withClamp(new Clamp(0, 6)), x, w);
        F.sum(y, false).backward();
        assertArrayEquals(new float[] {0, 0, 0.5f, 6, 6}, y.data().reshape(5).toFloatVector());
        assertArrayEquals(new float[] {0, 0, 1, 0, 0}, x.grad().reshape(5).toFloatVector());
    }

    @Test
    void conv3dOutputShapeFollowsTheSpec() {
        // 7 + 1 + 2 − (2·2 + 1) = 5 → ⌊5/2⌋ + 1 = 3; 5 + 0 + 1 − 2 = 4 → 5; 6 + 1 − 2 = 5 → ⌊5/2⌋ + 1 = 3.
        Tensor y = run(op("Conv", 22, attrs("group", 2L, "strides", new long[] {2, 1, 2}, "dilations",
                new long[] {2, 1, 1}, "pads", new long[] {1, 0, 1, 2, 1, 0})),
                Naive.normal(DataType.FLOAT, 1, 1, 4, 7, 5, 6),
                Naive.normal(DataType.FLOAT, 2, 4, 2, 3, 2, 2));
        assertArrayEquals(new long[] {1, 4, 3, 5, 3}, y.shape());
    }

    @Test
    void conv3dGradientsMatchFiniteDifferences() {
        Tensor x = leaf(4, 1, 4, 4, 3, 3);
        Tensor w = leaf(5, 2, 2, 2, 2, 2);
        Tensor b = leaf(6, 2);
        OnnxOp op = op("Conv", 22, attrs("group", 2L, "strides", new long[] {2, 1, 1}, "pads",
                new long[] {1, 0, 1, 0, 1, 0}));
        Map<String, Tensor> leaves = new LinkedHashMap<>();
        leaves.put("x", x);
        leaves.put("w", w);
        leaves.put("b", b);
        GradCheck.check("conv3d", leaves, () -> run(op, x, w, b));
    }

    @Test
    void conv3dAgreesWithOnnxRuntime() {
        OnnxOp op = op("Conv", 22, attrs("strides", new long[] {1, 2, 1}, "pads", new long[] {1, 1, 0, 0, 1, 1}));
        OrtCheck.agree("conv3d", (x, w) -> run(op, x, w[0], w[1]), Naive.normal(DataType.FLOAT, 1, 2, 3, 5, 6, 4),
                values(2, 4, 3, 2, 3, 2).castTo(DataType.FLOAT), values(3, 4).castTo(DataType.FLOAT));
    }

    // ---------------------------------------------------------------- ConvTranspose

    /** x shape, w shape, attributes, expected begin pads and output spatial dims. */
    static Stream<Arguments> transposeCases() {
        return Stream.of(
                Arguments.of("1-D plain", new long[] {1, 2, 4}, new long[] {2, 3, 3}, attrs(), new long[] {0},
                        new long[] {6}),
                Arguments.of("1-D strided, padded, output padding", new long[] {2, 2, 5}, new long[] {2, 2, 3},
                        attrs("strides", new long[] {3}, "pads", new long[] {1, 2}, "output_padding", new long[] {2}),
                        new long[] {1}, new long[] {14}),
                Arguments.of("2-D symmetric (native path)", new long[] {1, 2, 3, 4}, new long[] {2, 3, 3, 3},
                        attrs("strides", new long[] {2, 2}, "pads", new long[] {1, 1, 1, 1}, "output_padding",
                                new long[] {1, 0}), new long[] {1, 1}, new long[] {6, 7}),
                Arguments.of("2-D asymmetric pads, grouped, dilated", new long[] {2, 4, 3, 3},
                        new long[] {4, 1, 2, 3}, attrs("group", 2L, "dilations", new long[] {2, 1}, "strides",
                                new long[] {1, 2}, "pads", new long[] {0, 2, 1, 0}), new long[] {0, 2},
                        new long[] {4, 5}),
                Arguments.of("2-D output_shape past the full output", new long[] {1, 1, 3, 3},
                        new long[] {1, 2, 3, 3}, attrs("strides", new long[] {3, 2}, "output_shape",
                                new long[] {12, 9}), new long[] {0, 0}, new long[] {12, 9}),
                Arguments.of("2-D SAME_UPPER", new long[] {1, 2, 3, 4}, new long[] {2, 2, 3, 2},
                        attrs("auto_pad", "SAME_UPPER", "strides", new long[] {2, 2}), new long[] {0, 0},
                        new long[] {6, 8}),
                Arguments.of("2-D SAME_LOWER", new long[] {1, 2, 3, 4}, new long[] {2, 2, 3, 2},
                        attrs("auto_pad", "SAME_LOWER", "strides", new long[] {2, 2}), new long[] {1, 0},
                        new long[] {6, 8}),
                Arguments.of("3-D plain", new long[] {1, 1, 3, 4, 2}, new long[] {1, 2, 3, 3, 2}, attrs(),
                        new long[] {0, 0, 0}, new long[] {5, 6, 3}),
                Arguments.of("3-D strided, padded, grouped, dilated", new long[] {2, 4, 3, 2, 3},
                        new long[] {4, 2, 2, 3, 2}, attrs("group", 2L, "strides", new long[] {2, 1, 2}, "dilations",
                                new long[] {2, 1, 1}, "pads", new long[] {1, 0, 1, 0, 1, 2}, "output_padding",
                                new long[] {1, 0, 0}), new long[] {1, 0, 1}, new long[] {7, 3, 3}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transposeCases")
    void convTransposeMatchesTheDefinition(String name, long[] xs, long[] ws, Map<String, Object> a, long[] begin,
            long[] out) {
        int n = xs.length - 2;
        long group = (long) a.getOrDefault("group", 1L);
        long[] mShape = {ws[1] * group};
        for (DataType t : new DataType[] {DataType.DOUBLE, DataType.FLOAT}) {
            Tensor x = Tensor.of(values(1, xs).castTo(t));
            Tensor w = Tensor.of(values(2, ws).castTo(t));
            Tensor b = Tensor.of(values(3, mShape).castTo(t));
            Tensor y = run(op("ConvTranspose", 22, a), x, w, b);
            long[] outShape = new long[n + 2];
            outShape[0] = xs[0];
            outShape[1] = mShape[0];
            System.arraycopy(out, 0, outShape, 2, n);
            assertArrayEquals(outShape, y.shape(), "output shape");
            INDArray expected = Naive.convTranspose(x.data().castTo(DataType.DOUBLE), w.data().castTo(DataType.DOUBLE),
                    b.data().castTo(DataType.DOUBLE), (long[]) a.getOrDefault("strides", ones(n)),
                    (long[]) a.getOrDefault("dilations", ones(n)), begin, out, group);
            assertClose(expected, y.data(), t == DataType.DOUBLE ? 1e-10 : 1e-4);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transposeCases")
    void convTransposeGradientsMatchFiniteDifferences(String name, long[] xs, long[] ws, Map<String, Object> a,
            long[] begin, long[] out) {
        long group = (long) a.getOrDefault("group", 1L);
        Tensor x = leaf(7, xs);
        Tensor w = leaf(8, ws);
        Tensor b = leaf(9, ws[1] * group);
        Map<String, Tensor> leaves = new LinkedHashMap<>();
        leaves.put("x", x);
        leaves.put("w", w);
        leaves.put("b", b);
        OnnxOp op = op("ConvTranspose", 22, a);
        GradCheck.check("conv_transpose " + name, leaves, () -> run(op, x, w, b));
    }

    @Test
    void convTransposeGenericPathsAgreeWithOnnxRuntime() {
        OnnxOp asym = op("ConvTranspose", 22, attrs("strides", new long[] {2, 1}, "pads", new long[] {0, 1, 1, 0}));
        OrtCheck.agree("conv_transpose2d asymmetric", (x, w) -> run(asym, x, w[0], w[1]),
                Naive.normal(DataType.FLOAT, 1, 1, 2, 3, 4), values(2, 2, 3, 3, 2).castTo(DataType.FLOAT),
                values(3, 3).castTo(DataType.FLOAT));
        OnnxOp three = op("ConvTranspose", 22, attrs("strides", new long[] {2, 1, 1}, "pads",
                new long[] {1, 0, 0, 0, 1, 0}));
        OrtCheck.agree("conv_transpose3d", (x, w) -> run(three, x, w[0], w[1]),
                Naive.normal(DataType.FLOAT, 4, 1, 2, 3, 2, 3), values(5, 2, 2, 3, 2, 2).castTo(DataType.FLOAT),
                values(6, 2).castTo(DataType.FLOAT));
    }

    // ---------------------------------------------------------------- bad input

    @Test
    void aWeightWhoseChannelsDoNotMatchTheInputIsRefusedNamingTheNode() {
        OnnxImportException e = assertThrows(OnnxImportException.class, () -> run(op("Conv", 22, attrs()),
                Naive.normal(DataType.FLOAT, 1, 1, 3, 5, 5), Naive.normal(DataType.FLOAT, 2, 2, 4, 3, 3)));
        assertTrue(e.getMessage().contains("my_conv") && e.getMessage().contains("input channels"), e.getMessage());
        OnnxImportException g = assertThrows(OnnxImportException.class, () -> run(op("Conv", 22, attrs("group", 2L)),
                Naive.normal(DataType.FLOAT, 1, 1, 4, 5, 5), Naive.normal(DataType.FLOAT, 2, 2, 4, 3, 3)));
        assertTrue(g.getMessage().contains("my_conv"), g.getMessage());
        OnnxImportException t = assertThrows(OnnxImportException.class, () -> run(op("ConvTranspose", 22, attrs()),
                Naive.normal(DataType.FLOAT, 1, 1, 3, 5, 5), Naive.normal(DataType.FLOAT, 2, 2, 4, 3, 3)));
        assertTrue(t.getMessage().contains("my_convtranspose"), t.getMessage());
    }

    @Test
    void malformedAttributesAndShapesAreRefused() {
        Tensor x = Naive.normal(DataType.FLOAT, 1, 1, 2, 5, 5);
        Tensor w = Naive.normal(DataType.FLOAT, 2, 3, 2, 3, 3);
        assertThrows(OnnxImportException.class, () -> run(op("Conv", 22, attrs("pads", new long[] {1, 1})), x, w));
        assertThrows(OnnxImportException.class, () -> run(op("Conv", 22, attrs("kernel_shape", new long[] {2, 2})), x,
                w));
        assertThrows(OnnxImportException.class, () -> run(op("Conv", 22, attrs("strides", new long[] {0, 1})), x, w));
        assertThrows(OnnxImportException.class, () -> run(op("Conv", 22, attrs("auto_pad", "SAME")), x, w));
        assertThrows(OnnxImportException.class, () -> run(op("Conv", 22, attrs()), x,
                Naive.normal(DataType.FLOAT, 2, 3, 2, 7, 7)));
        assertThrows(OnnxImportException.class, () -> run(op("Conv", 22, attrs()), x,
                Naive.normal(DataType.FLOAT, 2, 3, 2, 3)));
        assertThrows(OnnxImportException.class, () -> run(op("Conv", 22, attrs()), x, w,
                Naive.normal(DataType.FLOAT, 3, 2)));
        assertThrows(OnnxImportException.class, () -> run(op("Conv", 22, attrs()),
                Naive.normal(DataType.FLOAT, 1, 2, 5), Naive.normal(DataType.FLOAT, 2, 3, 2)));
        assertThrows(OnnxImportException.class, () -> run(op("ConvTranspose", 22, attrs("output_shape",
                new long[] {0, 4})), x, Naive.normal(DataType.FLOAT, 2, 2, 3, 3, 3)));
        assertThrows(OnnxImportException.class, () -> run(op("ConvTranspose", 22, attrs("output_shape",
                new long[] {1L << 20, 1L << 20})), x, Naive.normal(DataType.FLOAT, 2, 2, 3, 3, 3)));
    }

    private static long[] ones(int n) {
        long[] o = new long[n];
        java.util.Arrays.fill(o, 1);
        return o;
    }
}

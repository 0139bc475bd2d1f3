package dev.dendrite.cnn.onnx;

import static dev.dendrite.cnn.onnx.Naive.op;
import static dev.dendrite.cnn.onnx.Naive.values;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

/** MaxPool, AveragePool and the global pools through the converter, against {@link Naive}'s loops. */
class PoolConverterTest {
    private static final PoolConverter CONVERTER = new PoolConverter();

    private static Map<String, Object> attrs(Object... kv) {
        Map<String, Object> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    private static void assertClose(INDArray expected, INDArray actual, double tol) {
        Compare.assertClose("converter output", actual, expected, tol);
    }

    /** op, x shape, attributes, pads {begin..., end...} as resolved, expected output spatial dims. */
    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("MaxPool", "1-D native", new long[] {2, 3, 9}, attrs("kernel_shape", new long[] {3},
                        "strides", new long[] {2}, "pads", new long[] {1, 1}), new long[] {1, 1}, new long[] {5}),
                Arguments.of("AveragePool", "1-D dilated", new long[] {1, 2, 10}, attrs("kernel_shape", new long[] {3},
                        "dilations", new long[] {2}, "pads", new long[] {2, 1}), new long[] {2, 1}, new long[] {9}),
                Arguments.of("AveragePool", "2-D native ceil, counting pads", new long[] {1, 2, 6, 7},
                        attrs("kernel_shape", new long[] {3, 3}, "strides", new long[] {2, 2}, "pads",
                                new long[] {1, 1, 1, 1}, "ceil_mode", 1L, "count_include_pad", 1L),
                        new long[] {1, 1, 1, 1}, new long[] {4, 4}),
                Arguments.of("MaxPool", "2-D pads larger than half the kernel", new long[] {1, 2, 5, 5},
                        attrs("kernel_shape", new long[] {3, 3}, "pads", new long[] {2, 2, 2, 2}),
                        new long[] {2, 2, 2, 2}, new long[] {7, 7}),
                Arguments.of("AveragePool", "2-D asymmetric pads", new long[] {2, 1, 5, 6},
                        attrs("kernel_shape", new long[] {2, 3}, "pads", new long[] {1, 0, 0, 2}, "strides",
                                new long[] {2, 1}), new long[] {1, 0, 0, 2}, new long[] {3, 6}),
                Arguments.of("AveragePool", "2-D asymmetric pads counted", new long[] {2, 1, 5, 6},
                        attrs("kernel_shape", new long[] {2, 3}, "pads", new long[] {1, 0, 0, 2}, "strides",
                                new long[] {2, 1}, "count_include_pad", 1L), new long[] {1, 0, 0, 2},
                        new long[] {3, 6}),
                Arguments.of("AveragePool", "2-D SAME_LOWER", new long[] {1, 2, 5, 4},
                        attrs("kernel_shape", new long[] {2, 2}, "auto_pad", "SAME_LOWER"), new long[] {1, 1, 0, 0},
                        new long[] {5, 4}),
                Arguments.of("MaxPool", "2-D SAME_UPPER strided", new long[] {1, 2, 7, 5},
                        attrs("kernel_shape", new long[] {3, 2}, "strides", new long[] {2, 2}, "auto_pad",
                                "SAME_UPPER"), new long[] {1, 0, 1, 1}, new long[] {4, 3}),
                Arguments.of("MaxPool", "2-D dilated ceil", new long[] {1, 1, 8, 7},
                        attrs("kernel_shape", new long[] {2, 3}, "dilations", new long[] {3, 2}, "strides",
                                new long[] {2, 2}, "ceil_mode", 1L), new long[] {0, 0, 0, 0}, new long[] {3, 2}),
                Arguments.of("MaxPool", "3-D default", new long[] {1, 2, 4, 5, 3},
                        attrs("kernel_shape", new long[] {2, 2, 2}), new long[] {0, 0, 0, 0, 0, 0},
                        new long[] {3, 4, 2}),
                Arguments.of("AveragePool", "3-D dilated ceil", new long[] {1, 1, 9, 8, 7},
                        attrs("kernel_shape", new long[] {3, 2, 2}, "dilations", new long[] {2, 2, 1}, "strides",
                                new long[] {3, 2, 2}, "ceil_mode", 1L), new long[] {0, 0, 0, 0, 0, 0},
                        new long[] {3, 4, 4}),
                Arguments.of("AveragePool", "3-D padded, counting pads", new long[] {2, 1, 4, 5, 3},
                        attrs("kernel_shape", new long[] {3, 2, 2}, "pads", new long[] {1, 1, 0, 2, 0, 1},
                                "strides", new long[] {2, 2, 1}, "count_include_pad", 1L, "ceil_mode", 1L),
                        new long[] {1, 1, 0, 2, 0, 1}, new long[] {3, 3, 3}));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void poolMatchesTheDefinition(String type, String name, long[] xs, Map<String, Object> a, long[] pads,
            long[] out) {
        int n = xs.length - 2;
        for (DataType t : new DataType[] {DataType.DOUBLE, DataType.FLOAT}) {
            Tensor x = Tensor.of(values(11, xs).castTo(t));
            Tensor y = CONVERTER.convert(op(type, 22, a), new Tensor[] {x})[0];
            long[] expectedShape = new long[n + 2];
            expectedShape[0] = xs[0];
            expectedShape[1] = xs[1];
            System.arraycopy(out, 0, expectedShape, 2, n);
            assertArrayEquals(expectedShape, y.shape(), "output shape");
            INDArray expected = Naive.pool(x.data().castTo(DataType.DOUBLE), type.equals("MaxPool"),
                    (long[]) a.get("kernel_shape"), (long[]) a.getOrDefault("strides", ones(n)),
                    (long[]) a.getOrDefault("dilations", ones(n)), Arrays.copyOfRange(pads, 0, n),
                    Arrays.copyOfRange(pads, n, 2 * n), out, a.get("count_include_pad") != null, null);
            assertClose(expected, y.data(), t == DataType.DOUBLE ? 1e-12 : 1e-5);
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void poolGradientsMatchFiniteDifferences(String type, String name, long[] xs, Map<String, Object> a,
            long[] pads, long[] out) {
        Tensor x = Naive.distinctLeaf(12, xs);
        OnnxOp op = op(type, 22, a);
        GradCheck.check(type + " " + name, Map.of("x", x), () -> CONVERTER.convert(op, new Tensor[] {x})[0]);
    }

    @Test
    void theGenericPoolAgreesWithOnnxRuntime() {
        OnnxOp max3d = op("MaxPool", 22, attrs("kernel_shape", new long[] {3, 2, 2}, "dilations",
                new long[] {2, 1, 2}, "strides", new long[] {2, 2, 1}, "ceil_mode", 1L, "pads",
                new long[] {1, 0, 1, 0, 1, 1}));
        OrtCheck.agree("max_pool3d", (x, w) -> CONVERTER.convert(max3d, new Tensor[] {x})[0],
                Naive.normal(DataType.FLOAT, 1, 1, 2, 7, 6, 5));
        OnnxOp avg = op("AveragePool", 22, attrs("kernel_shape", new long[] {3, 3}, "pads", new long[] {2, 0, 1, 2},
                "strides", new long[] {2, 1}, "count_include_pad", 1L));
        OrtCheck.agree("avg_pool2d asymmetric", (x, w) -> CONVERTER.convert(avg, new Tensor[] {x})[0],
                Naive.normal(DataType.FLOAT, 2, 1, 3, 6, 5));
        OnnxOp avgExcluded = op("AveragePool", 22, attrs("kernel_shape", new long[] {2, 3}, "pads",
                new long[] {1, 2, 1, 2}, "dilations", new long[] {2, 1}));
        OrtCheck.agree("avg_pool2d dilated", (x, w) -> CONVERTER.convert(avgExcluded, new Tensor[] {x})[0],
                Naive.normal(DataType.FLOAT, 3, 1, 2, 7, 6));
        // Ceil mode's extra cells are never counted, even with count_include_pad.
        OnnxOp avgCeil = op("AveragePool", 22, attrs("kernel_shape", new long[] {3, 3}, "pads",
                new long[] {1, 0, 0, 1}, "strides", new long[] {2, 2}, "count_include_pad", 1L, "ceil_mode", 1L));
        OrtCheck.agree("avg_pool2d ceil", (x, w) -> CONVERTER.convert(avgCeil, new Tensor[] {x})[0],
                Naive.normal(DataType.FLOAT, 4, 1, 2, 6, 7));
    }

    @Test
    void indicesAreFlatPositionsInTheInput() {
        Tensor x = Tensor.of(values(13, 2, 3, 6, 5).castTo(DataType.FLOAT));
        Map<String, Object> a = attrs("kernel_shape", new long[] {3, 2}, "strides", new long[] {2, 2}, "pads",
                new long[] {1, 0, 1, 1});
        Tensor[] r = CONVERTER.convert(op("MaxPool", 22, a, 2, false), new Tensor[] {x});
        INDArray indices = Nd4j.zeros(DataType.DOUBLE, r[0].shape());
        INDArray expected = Naive.pool(x.data().castTo(DataType.DOUBLE), true, new long[] {3, 2}, new long[] {2, 2},
                new long[] {1, 1}, new long[] {1, 0}, new long[] {1, 1}, new long[] {3, 3}, false, indices);
        assertClose(expected, r[0].data(), 1e-6);
        assertEquals(DataType.INT64, r[1].dtype());
        assertClose(indices, r[1].data(), 0);
        // The picked values really are the maxima.
        INDArray flat = x.data().reshape(x.data().length());
        long[] idx = r[1].data().reshape(r[1].data().length()).toLongVector();
        INDArray y = r[0].data().reshape(r[0].data().length());
        for (int i = 0; i < idx.length; i++) {
            assertEquals(y.getDouble(i), flat.getDouble(idx[i]), 0);
        }
    }

    @Test
    void columnMajorIndicesAndThreeDIndices() {
        // 5x5 ramp, 2x2 windows at stride 2: maxima 7, 9, 17, 19 (1-based) at (1,1), (1,3), (3,1), (3,3).
        double[] ramp = new double[25];
        for (int i = 0; i < 25; i++) {
            ramp[i] = i + 1;
        }
        Tensor x = Tensor.of(Nd4j.create(ramp, new long[] {1, 1, 5, 5}, DataType.FLOAT));
        Map<String, Object> a = attrs("kernel_shape", new long[] {2, 2}, "strides", new long[] {2, 2},
                "storage_order", 1L);
        Tensor[] r = CONVERTER.convert(op("MaxPool", 22, a, 2, false), new Tensor[] {x});
        assertArrayEquals(new long[] {6, 16, 8, 18}, r[1].data().reshape(4).toLongVector());
        Tensor x3 = Tensor.of(values(14, 2, 2, 3, 4, 5).castTo(DataType.FLOAT));
        Tensor[] r3 = CONVERTER.convert(op("MaxPool", 22, attrs("kernel_shape", new long[] {2, 2, 3},
                "dilations", new long[] {1, 2, 1}, "pads", new long[] {0, 1, 1, 1, 0, 1}), 2, false),
                new Tensor[] {x3});
        INDArray indices = Nd4j.zeros(DataType.DOUBLE, r3[0].shape());
        long[] out = Arrays.copyOfRange(r3[0].shape(), 2, 5);
        Naive.pool(x3.data().castTo(DataType.DOUBLE), true, new long[] {2, 2, 3}, new long[] {1, 1, 1},
                new long[] {1, 2, 1}, new long[] {0, 1, 1}, new long[] {1, 0, 1}, out, false, indices);
        assertClose(indices, r3[1].data(), 0);
    }

    @Test
    void integerMaxPoolKeepsItsDtype() {
        Tensor x = Tensor.of(Nd4j.createFromArray(new int[] {3, -1, 4, 1, -5, 9, 2, -6, 5}).reshape(1, 1, 3, 3));
        Tensor y = CONVERTER.convert(op("MaxPool", 12, attrs("kernel_shape", new long[] {2, 2})),
                new Tensor[] {x})[0];
        assertEquals(DataType.INT32, y.dtype());
        assertArrayEquals(new int[] {3, 9, 2, 9}, y.data().reshape(4).toIntVector());
    }

    @Test
    void globalPoolsReduceEverySpatialDim() {
        for (long[] shape : new long[][] {{2, 3, 5}, {2, 3, 4, 5}, {1, 2, 3, 4, 2}}) {
            Tensor x = Tensor.of(values(15, shape).castTo(DataType.FLOAT));
            int[] axes = new int[shape.length - 2];
            long[] kept = shape.clone();
            for (int i = 0; i < axes.length; i++) {
                axes[i] = i + 2;
                kept[i + 2] = 1;
            }
            Tensor avg = CONVERTER.convert(op("GlobalAveragePool", 22, attrs()), new Tensor[] {x})[0];
            Tensor max = CONVERTER.convert(op("GlobalMaxPool", 22, attrs()), new Tensor[] {x})[0];
            assertClose(x.data().castTo(DataType.DOUBLE).mean(true, axes), avg.data(), 1e-6);
            assertClose(x.data().castTo(DataType.DOUBLE).max(true, axes), max.data(), 1e-6);
            assertArrayEquals(kept, avg.shape());
        }
        Tensor x = Naive.leaf(16, 2, 3, 4, 3);
        GradCheck.check("global average", Map.of("x", x),
                () -> CONVERTER.convert(op("GlobalAveragePool", 22, attrs()), new Tensor[] {x})[0]);
        Tensor x5 = Naive.distinctLeaf(17, 1, 2, 3, 2, 3);
        GradCheck.check("global max 3-D", Map.of("x", x5),
                () -> CONVERTER.convert(op("GlobalMaxPool", 22, attrs()), new Tensor[] {x5})[0]);
    }

    @Test
    void badPoolsAreRefusedNamingTheNode() {
        Tensor x = Tensor.of(values(18, 1, 2, 5, 5).castTo(DataType.FLOAT));
        Object[][] bad = {
            {},
            {"kernel_shape", new long[] {3}},
            {"kernel_shape", new long[] {0, 2}},
            {"kernel_shape", new long[] {7, 7}},
            {"kernel_shape", new long[] {2, 2}, "ceil_mode", 2L},
            {"kernel_shape", new long[] {2, 2}, "strides", new long[] {1, 0}},
            {"kernel_shape", new long[] {2, 2}, "pads", new long[] {1, 1, -1, 0}},
            {"kernel_shape", new long[] {2, 2}, "auto_pad", "SAME"},
        };
        for (Object[] kv : bad) {
            OnnxImportException e = assertThrows(OnnxImportException.class,
                    () -> CONVERTER.convert(op("MaxPool", 22, attrs(kv)), new Tensor[] {x}), Arrays.toString(kv));
            assertTrue(e.getMessage().contains("my_maxpool"), e.getMessage());
        }
        assertThrows(OnnxImportException.class, () -> CONVERTER.convert(op("AveragePool", 22,
                attrs("kernel_shape", new long[] {2})),
                new Tensor[] {Tensor.of(values(1, 2, 5).castTo(DataType.FLOAT))}));
        assertThrows(OnnxImportException.class, () -> CONVERTER.convert(op("GlobalMaxPool", 22, attrs()),
                new Tensor[] {Tensor.of(Nd4j.zeros(DataType.FLOAT, 1, 0, 3))}));
    }

    private static long[] ones(int n) {
        long[] o = new long[n];
        Arrays.fill(o, 1);
        return o;
    }
}

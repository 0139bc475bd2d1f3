package dev.dendrite.cnn.ops;

import static dev.dendrite.cnn.TestArrays.normal;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dendrite.ops.Clamp;
import dev.dendrite.ops.F;
import dev.dendrite.tensor.Tensor;
import dev.dendrite.testkit.Compare;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Float32 runs on oneDNN where float64 runs on libnd4j's own kernels, so the gradient checks (float64) do not
 * cover the float32 path that training uses. Here every op's forward and backward in float32 must agree with
 * float64 on the same values.
 */
class Float32AgreementTest {
    private static final long[] ONE = {1, 1};
    private static final long[] TWO = {2, 2};
    private static final Clamp NARROW = new Clamp(-0.4, 0.5);

    /** An op on (x, weight, bias), any of which it may ignore. */
    private record Case(String name, long[] x, long[] w, long[] b, Function<Tensor[], Tensor> op) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                new Case("conv2d stride 2 padding 1", new long[] {2, 3, 7, 7}, new long[] {4, 3, 3, 3}, new long[] {4},
                        t -> CnnF.conv2d(t[0], t[1], t[2], TWO, new long[] {1, 1, 1, 1}, ONE, 1)),
                new Case("conv2d stride 2, window not dividing the input", new long[] {2, 3, 8, 8},
                        new long[] {4, 3, 3, 3}, new long[] {4},
                        t -> CnnF.conv2d(t[0], t[1], t[2], TWO, new long[] {0, 0, 0, 0}, ONE, 1)),
                new Case("conv2d dilation 2 (oneDNN refuses it in float32)", new long[] {2, 3, 8, 8},
                        new long[] {4, 3, 3, 3}, new long[] {4},
                        t -> CnnF.conv2d(t[0], t[1], t[2], TWO, new long[] {1, 1, 1, 1}, TWO, 1)),
                new Case("conv2d groups 2", new long[] {2, 4, 6, 6}, new long[] {6, 2, 3, 3}, new long[] {6},
                        t -> CnnF.conv2d(t[0], t[1], t[2], ONE, new long[] {1, 1, 1, 1}, ONE, 2)),
                new Case("conv2d depthwise x2 dilated", new long[] {2, 3, 7, 7}, new long[] {6, 1, 3, 3},
                        new long[] {6}, t -> CnnF.conv2d(t[0], t[1], t[2], ONE, new long[] {2, 2, 2, 2}, TWO, 3)),
                new Case("conv2d depthwise stride 2 padding 1 (MobileNet's)", new long[] {2, 4, 9, 9},
                        new long[] {4, 1, 3, 3}, new long[] {4},
                        t -> CnnF.conv2d(t[0], t[1], t[2], TWO, new long[] {1, 1, 1, 1}, ONE, 4)),
                new Case("conv2d depthwise 5x5 stride (2, 1), asymmetric padding", new long[] {2, 3, 7, 8},
                        new long[] {3, 1, 5, 5}, new long[] {3},
                        t -> CnnF.conv2d(t[0], t[1], t[2], new long[] {2, 1}, new long[] {1, 2, 2, 1}, ONE, 3)),
                new Case("conv2d depthwise x3, stride 3 and dilation 2", new long[] {2, 2, 11, 10},
                        new long[] {6, 1, 3, 2}, new long[] {6},
                        t -> CnnF.conv2d(t[0], t[1], t[2], new long[] {3, 3}, new long[] {0, 1, 2, 0}, TWO, 2)),
                new Case("conv2d depthwise, kernel wider than the input", new long[] {1, 2, 2, 3},
                        new long[] {2, 1, 5, 5}, new long[] {2},
                        t -> CnnF.conv2d(t[0], t[1], t[2], ONE, new long[] {2, 2, 2, 2}, ONE, 2)),
                new Case("conv2d depthwise, 30x30 planes: stacks of 4 channels and a last one of 1", new long[] {2, 5, 30, 30},
                        new long[] {5, 1, 3, 3}, new long[] {5},
                        t -> CnnF.conv2d(t[0], t[1], t[2], ONE, new long[] {1, 1, 1, 1}, ONE, 5)),
                new Case("conv2d depthwise x2, many small planes in one stack", new long[] {3, 40, 2, 2},
                        new long[] {80, 1, 3, 3}, new long[] {80},
                        t -> CnnF.conv2d(t[0], t[1], t[2], ONE, new long[] {1, 1, 1, 1}, ONE, 40)),
                new Case("conv2d depthwise 3x3 stride 2, clamped (channels innermost)", new long[] {2, 20, 7, 7},
                        new long[] {20, 1, 3, 3}, new long[] {20},
                        t -> CnnF.conv2d(t[0], t[1], t[2], TWO, new long[] {1, 1, 1, 1}, ONE, 20, NARROW)),
                new Case("conv2d depthwise 3x3, 12x12 planes, clamped (stacks)", new long[] {2, 3, 12, 12},
                        new long[] {3, 1, 3, 3}, new long[] {3},
                        t -> CnnF.conv2d(t[0], t[1], t[2], ONE, new long[] {1, 1, 1, 1}, ONE, 3, NARROW)),
                new Case("conv2d 1x1, batch 1 (GEMM), clamped", new long[] {1, 6, 5, 4}, new long[] {4, 6, 1, 1},
                        new long[] {4}, t -> CnnF.conv2d(t[0], t[1], t[2], ONE, new long[4], ONE, 1, NARROW)),
                new Case("conv2d 1x1, batch 3 of 16x16 (a GEMM per image)", new long[] {3, 5, 16, 16},
                        new long[] {7, 5, 1, 1}, new long[] {7},
                        t -> CnnF.conv2d(t[0], t[1], t[2], ONE, new long[4], ONE, 1)),
                new Case("conv2d 3x3 stride 2, one image onto 2x2 (im2col + GEMM)", new long[] {1, 8, 4, 4},
                        new long[] {6, 8, 3, 3}, new long[] {6},
                        t -> CnnF.conv2d(t[0], t[1], t[2], TWO, new long[] {1, 1, 1, 1}, ONE, 1, Clamp.RELU)),
                new Case("conv2d 3x3 dilated, asymmetric padding, one image onto 3x3 (im2col + GEMM)",
                        new long[] {1, 3, 6, 6}, new long[] {4, 3, 3, 3}, new long[] {4},
                        t -> CnnF.conv2d(t[0], t[1], t[2], TWO, new long[] {0, 1, 2, 0}, TWO, 1)),
                new Case("conv2d 3x3, ReLU fused (oneDNN)", new long[] {2, 3, 6, 6}, new long[] {4, 3, 3, 3},
                        new long[] {4}, t -> CnnF.conv2d(t[0], t[1], t[2], ONE, new long[4], ONE, 1, Clamp.RELU)),
                new Case("conv1d depthwise", new long[] {2, 3, 9}, new long[] {3, 1, 3}, new long[] {3},
                        t -> CnnF.conv1d(t[0], t[1], t[2], 1, 1, 1, 1, 3)),
                new Case("conv1d depthwise stride 2", new long[] {2, 3, 9}, new long[] {3, 1, 3}, new long[] {3},
                        t -> CnnF.conv1d(t[0], t[1], t[2], 2, 1, 1, 1, 3)),
                new Case("conv2d 256->512, over a million weights (backward off oneDNN)", new long[] {1, 256, 3, 3},
                        new long[] {512, 256, 3, 3}, new long[] {512},
                        t -> CnnF.conv2d(t[0], t[1], t[2], ONE, new long[] {1, 1, 1, 1}, ONE, 1)),
                new Case("conv2d 256->256 3x3 (oneDNN's backward on one thread when there are more)",
                        new long[] {2, 256, 3, 3}, new long[] {256, 256, 3, 3}, new long[] {256},
                        t -> CnnF.conv2d(t[0], t[1], t[2], ONE, new long[] {1, 1, 1, 1}, ONE, 1)),
                new Case("conv2d same, even kernel", new long[] {2, 3, 6, 6}, new long[] {2, 3, 4, 4}, new long[] {2},
                        t -> CnnF.conv2d(t[0], t[1], t[2], ONE, CnnF.samePadding(new long[] {4, 4}, ONE), ONE, 1)),
                new Case("conv1d", new long[] {2, 3, 9}, new long[] {4, 3, 3}, new long[] {4},
                        t -> CnnF.conv1d(t[0], t[1], t[2], 2, 1, 1, 1, 1)),
                new Case("conv_transpose2d s2 p1 op1", new long[] {2, 3, 4, 4}, new long[] {3, 2, 3, 3}, new long[] {2},
                        t -> CnnF.convTranspose2d(t[0], t[1], t[2], TWO, ONE, ONE, ONE, 1)),
                new Case("conv_transpose2d groups 2 dilation 2", new long[] {2, 4, 3, 3}, new long[] {4, 3, 3, 3},
                        new long[] {6}, t -> CnnF.convTranspose2d(t[0], t[1], t[2], TWO, ONE, ONE, TWO, 2)),
                new Case("max_pool2d ceil", new long[] {2, 3, 6, 6}, null, null,
                        t -> CnnF.maxPool2d(t[0], new long[] {3, 3}, TWO, ONE, true)),
                new Case("max_pool2d padding", new long[] {2, 3, 7, 7}, null, null,
                        t -> CnnF.maxPool2d(t[0], new long[] {3, 3}, TWO, ONE, false)),
                new Case("avg_pool2d ceil include", new long[] {2, 3, 6, 6}, null, null,
                        t -> CnnF.avgPool2d(t[0], new long[] {3, 3}, TWO, ONE, true, true)),
                new Case("avg_pool2d padding exclude", new long[] {2, 3, 7, 7}, null, null,
                        t -> CnnF.avgPool2d(t[0], new long[] {3, 3}, TWO, ONE, false, false)),
                new Case("global_avg_pool2d", new long[] {2, 3, 5, 4}, null, null, t -> CnnF.globalAvgPool2d(t[0])),
                new Case("global_max_pool2d", new long[] {2, 3, 5, 4}, null, null, t -> CnnF.globalMaxPool2d(t[0])),
                new Case("batch_norm train", new long[] {4, 3, 3, 3}, new long[] {3}, new long[] {3},
                        t -> CnnF.batchNorm(t[0], Nd4j.zeros(t[0].dtype(), 3), Nd4j.ones(t[0].dtype(), 3), t[1], t[2],
                                true, 0.1, 1e-5)),
                new Case("batch_norm eval", new long[] {4, 3, 3, 3}, new long[] {3}, new long[] {3},
                        t -> CnnF.batchNorm(t[0], Nd4j.createFromArray(0.1, -0.2, 0.3).castTo(t[0].dtype()),
                                Nd4j.createFromArray(0.5, 1.5, 2.0).castTo(t[0].dtype()), t[1], t[2], false, 0.1, 1e-5)),
                new Case("upsample nearest 2", new long[] {2, 3, 3, 4}, null, null,
                        t -> CnnF.upsample2d(t[0], 2, "nearest")),
                new Case("upsample bilinear 2", new long[] {2, 3, 3, 4}, null, null,
                        t -> CnnF.upsample2d(t[0], 2, "bilinear"))).map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void float32AgreesWithFloat64(Case c) {
        Map<String, INDArray> d = run(c, DataType.DOUBLE);
        Map<String, INDArray> f = run(c, DataType.FLOAT);
        for (String k : d.keySet()) {
            INDArray ref = d.get(k);
            INDArray got = f.get(k).castTo(DataType.DOUBLE);
            double diff = Compare.maxAbsDiff(c + ": " + k, got, ref);
            double scale = Math.max(1, Compare.maxAbs(c + ": " + k, ref));
            assertTrue(diff <= 1e-4 * scale, c + ": " + k + " differs by " + diff + " (scale " + scale + ")");
        }
    }

    /** The depthwise loops compute only the gradients asked for: dW alone (a first layer), dx alone (frozen). */
    @ParameterizedTest(name = "{0}, x trainable {1}")
    @org.junit.jupiter.params.provider.CsvSource({"7, true", "7, false", "20, true", "20, false"})
    void aDepthwiseGradientAloneAgreesWithFloat64(int plane, boolean xTrainable) {
        Map<DataType, INDArray> grads = new java.util.HashMap<>();
        for (DataType type : new DataType[] {DataType.DOUBLE, DataType.FLOAT}) {
            INDArray xv = normal(type, 1, 2, 20, plane, plane);
            INDArray wv = normal(type, 2, 20, 1, 3, 3).muli(0.5);
            Tensor x = xTrainable ? Tensor.leaf(xv) : Tensor.of(xv);
            Tensor w = xTrainable ? Tensor.of(wv) : Tensor.leaf(wv);
            Tensor y = CnnF.conv2d(x, w, null, TWO, new long[] {1, 1, 1, 1}, ONE, 20, NARROW);
            F.sum(F.mul(y, Tensor.of(normal(type, 4, y.shape()))), false).backward();
            grads.put(type, xTrainable ? x.grad() : w.grad());
        }
        double diff = Compare.maxAbsDiff("gradient", grads.get(DataType.FLOAT).castTo(DataType.DOUBLE),
                grads.get(DataType.DOUBLE));
        assertTrue(diff <= 1e-4 * Math.max(1, Compare.maxAbs("gradient", grads.get(DataType.DOUBLE))),
                "differs by " + diff);
    }

    private static Map<String, INDArray> run(Case c, DataType type) {
        Tensor x = Tensor.leaf(normal(type, 1, c.x()));
        Tensor w = c.w() == null ? null : Tensor.leaf(normal(type, 2, c.w()).muli(0.5));
        Tensor b = c.b() == null ? null : Tensor.leaf(normal(type, 3, c.b()));
        Tensor y = c.op().apply(new Tensor[] {x, w, b});
        Tensor loss = F.sum(F.mul(y, Tensor.of(normal(type, 4, y.shape()))), false);
        loss.backward();
        return w == null ? Map.of("output", y.data(), "dx", x.grad())
                : Map.of("output", y.data(), "dx", x.grad(), "dw", w.grad(), "db", b.grad());
    }
}

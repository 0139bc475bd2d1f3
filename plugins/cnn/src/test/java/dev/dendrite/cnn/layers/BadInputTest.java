package dev.dendrite.cnn.layers;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dendrite.cnn.ops.CnnF;
import dev.dendrite.inject.Registries;
import dev.dendrite.nn.Layer;
import dev.dendrite.nn.LayerContext;
import dev.dendrite.random.Rng;
import dev.dendrite.spi.Json;
import dev.dendrite.tensor.DendriteException;
import dev.dendrite.tensor.ShapeException;
import dev.dendrite.tensor.Tensor;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** Bad input and bad configs fail in Java, with a ShapeException naming the layer, the expected and the actual shape. */
class BadInputTest {
    private static final LayerContext CTX = new LayerContext(DataType.DOUBLE, new Rng(1),
            Registries.discover(BadInputTest.class.getClassLoader()).layers());
    private static final long[] ONE = {1, 1};

    private static Tensor zeros(long... shape) {
        return Tensor.of(Nd4j.zeros(DataType.DOUBLE, shape));
    }

    /** Asserts a ShapeException whose message contains every fragment. */
    private static void fails(Executable call, String... fragments) {
        ShapeException e = assertThrows(ShapeException.class, call);
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), () -> "message lacks \"" + f + "\": " + e.getMessage());
        }
    }

    private static void fails(Layer layer, Tensor x, String... fragments) {
        fails(() -> layer.forward(x), fragments);
    }

    @Test
    void conv2dWrongRankNamesTheLayerAndTheExpectedLayout() {
        Layer conv = new Conv2d(Conv2d.Config.of(3, 4, 3), CTX);
        fails(conv, zeros(2, 3, 6), "layer 'conv2d' (conv2d)", "[N, 3, H, W]", "[2, 3, 6]");
        fails(conv, zeros(6), "[N, 3, H, W]", "[6]");
    }

    @Test
    void conv2dWrongChannelCount() {
        fails(new Conv2d(Conv2d.Config.of(3, 4, 3), CTX), zeros(2, 5, 6, 6), "layer 'conv2d' (conv2d)", "[N, 3, H, W]",
                "[2, 5, 6, 6]");
        fails(new Conv2d(Conv2d.Config.of(4, 6, 3).withGroups(2), CTX), zeros(2, 2, 6, 6), "[N, 4, H, W]", "groups 2",
                "[2, 2, 6, 6]");
    }

    @Test
    void kernelLargerThanThePaddedInput() {
        fails(new Conv2d(Conv2d.Config.of(3, 4, 5), CTX), zeros(1, 3, 3, 8), "conv2d", "kernel (5)",
                "larger than the padded input", "[1, 3, 3, 8]", "<= 0");
        fails(new Conv2d(Conv2d.Config.of(3, 4, 3).withDilation(3).withPadding(Padding.of(1)), CTX), zeros(1, 3, 4, 4),
                "dilated to 7", "[1, 3, 4, 4]");
        fails(new Conv1d(Conv1d.Config.of(2, 2, 4), CTX), zeros(1, 2, 3), "layer 'conv1d' (conv1d)", "[1, 2, 3]",
                "larger than the padded input");
        fails(new MaxPool2d(MaxPool2d.Config.of(3), CTX), zeros(1, 1, 2, 5), "max_pool2d", "[1, 1, 2, 5]",
                "larger than the padded input");
        fails(new AvgPool2d(AvgPool2d.Config.of(3), CTX), zeros(1, 1, 5, 2), "avg_pool2d", "[1, 1, 5, 2]");
    }

    @Test
    void transposedConvolutionWithAnEmptyOutput() {
        Layer t = new ConvTranspose2d(ConvTranspose2d.Config.of(1, 1, 1).with(1, 1, 0), CTX);
        fails(t, zeros(1, 1, 1, 1), "layer 'conv_transpose2d' (conv_transpose2d)", "output size", "<= 0",
                "[1, 1, 1, 1]");
        fails(new ConvTranspose2d(ConvTranspose2d.Config.of(3, 2, 3), CTX), zeros(1, 2, 4, 4), "[N, 3, H, W]",
                "[1, 2, 4, 4]");
    }

    @Test
    void wrongDtypes() {
        fails(new Conv2d(Conv2d.Config.of(3, 4, 3), CTX), Tensor.of(Nd4j.zeros(DataType.FLOAT, 1, 3, 5, 5)), "conv2d",
                "DOUBLE", "FLOAT");
        fails(new MaxPool2d(MaxPool2d.Config.of(2), CTX), Tensor.of(Nd4j.zeros(DataType.INT32, 1, 1, 4, 4)),
                "max_pool2d", "floating-point", "[1, 1, 4, 4]");
        fails(new BatchNorm2d(BatchNorm.Config.of(2), CTX), Tensor.of(Nd4j.zeros(DataType.FLOAT, 2, 2, 3, 3)),
                "batch_norm2d", "FLOAT");
        fails(new Upsample2d(new Upsample2d.Config(2, "bilinear"), CTX), Tensor.of(Nd4j.zeros(DataType.INT64, 1, 1, 2, 2)),
                "upsample2d", "floating-point");
    }

    @Test
    void batchNormShapes() {
        Layer bn = new BatchNorm2d(BatchNorm.Config.of(3), CTX);
        fails(bn, zeros(4, 3, 5), "layer 'batch_norm2d' (batch_norm2d)", "[N, 3, H, W]", "[4, 3, 5]");
        fails(bn, zeros(4, 2, 5, 5), "[N, 3, H, W]", "[4, 2, 5, 5]");
        fails(bn, zeros(1, 3, 1, 1), "more than 1 value per channel", "[1, 3, 1, 1]");
        Layer bn1 = new BatchNorm1d(BatchNorm.Config.of(3), CTX);
        fails(bn1, zeros(4, 3, 2, 2), "[N, 3] or [N, 3, L]", "[4, 3, 2, 2]");
        bn.train(false);
        bn.forward(zeros(1, 3, 1, 1)); // one value per channel is fine with running statistics
    }

    @Test
    void upsampleToNothing() {
        fails(new Upsample2d(new Upsample2d.Config(0.25, "nearest"), CTX), zeros(1, 1, 2, 3), "upsample2d",
                "[1, 1, 2, 3]", "empty");
    }

    @Test
    void emptyChannelOrSpatialDimsAreRefused() {
        fails(new GlobalPool2d(false), zeros(1, 2, 0, 3), "global_avg_pool2d", "non-empty", "[1, 2, 0, 3]");
        fails(new Conv2d(Conv2d.Config.of(3, 4, 1).withPadding(Padding.of(1)), CTX), zeros(1, 3, 0, 3), "conv2d",
                "non-empty", "[1, 3, 0, 3]");
        fails(new ConvTranspose2d(ConvTranspose2d.Config.of(3, 4, 3), CTX), zeros(2, 3, 4, 0), "conv_transpose2d",
                "non-empty", "[2, 3, 4, 0]");
        fails(new MaxPool2d(new MaxPool2d.Config(Size2d.of(2), null, Size2d.of(1), false), CTX), zeros(1, 0, 3, 3),
                "max_pool2d", "non-empty", "[1, 0, 3, 3]");
    }

    @Test
    void primitivesCheckWeightsAndBiases() {
        Tensor x = zeros(1, 4, 5, 5);
        long[] noPad = {0, 0, 0, 0};
        fails(() -> CnnF.conv2d(x, zeros(6, 4, 3), null, ONE, noPad, ONE, 1), "conv2d", "rank-4 weight", "[6, 4, 3]");
        fails(() -> CnnF.conv2d(x, zeros(6, 4, 3, 3), zeros(5), ONE, noPad, ONE, 1), "bias [6]", "[5]");
        fails(() -> CnnF.conv2d(x, zeros(5, 2, 3, 3), null, ONE, noPad, ONE, 2), "5 output channels", "groups = 2");
        fails(() -> CnnF.convTranspose2d(x, zeros(4, 2, 3, 3), zeros(3), ONE, ONE, new long[] {0, 0}, ONE, 1),
                "bias [2]", "[3]");
        fails(() -> CnnF.batchNorm(zeros(2, 3, 2, 2), Nd4j.zeros(DataType.DOUBLE, 4), Nd4j.ones(DataType.DOUBLE, 3),
                null, null, true, 0.1, 1e-5), "running mean [3]", "[4]");
        fails(() -> CnnF.upsample2d(x, 2, "bicubic"), "nearest", "bilinear", "bicubic");
    }

    @Test
    void badConfigsNameTheLayer() {
        fails(() -> new Conv2d(Conv2d.Config.of(3, 4, 3).withStride(2).withPadding(Padding.SAME), CTX), "conv2d",
                "same", "stride 1");
        fails(() -> new Conv2d(Conv2d.Config.of(3, 4, 3).withGroups(2), CTX), "conv2d", "groups");
        fails(() -> new Conv1d(new Conv1d.Config(2, 2, 3, 1, Padding.of(1, 2), 1, 1, true), CTX), "conv1d", "padding");
        fails(() -> new MaxPool2d(new MaxPool2d.Config(Size2d.of(3), null, Size2d.of(2), false), CTX), "max_pool2d",
                "half the kernel");
        fails(() -> new ConvTranspose2d(ConvTranspose2d.Config.of(2, 2, 3).with(2, 0, 2), CTX), "conv_transpose2d",
                "output padding");
        fails(() -> new Upsample2d(new Upsample2d.Config(2, "bicubic"), CTX), "upsample2d", "bicubic");
        fails(() -> new BatchNorm2d(new BatchNorm.Config(3, 1e-5, 1.5, true), CTX), "batch_norm2d", "momentum");
    }

    @Test
    void badJsonConfigIsAnErrorNamingTheLayer() {
        Supplier<Conv2d.Provider> p = Conv2d.Provider::new;
        DendriteException e = assertThrows(DendriteException.class,
                () -> Json.config(p.get(), Json.read("{\"kernel\": \"big\"}", com.fasterxml.jackson.databind.JsonNode.class)));
        // core-api's Json keeps the first line of Jackson's message, which names the value but not the field.
        assertTrue(e.getMessage().contains("conv2d") && e.getMessage().contains("[height, width]")
                && e.getMessage().contains("big"), e.getMessage());
        DendriteException e2 = assertThrows(DendriteException.class,
                () -> Json.config(p.get(), Json.read("{\"padding\": [1, 2, 3]}", com.fasterxml.jackson.databind.JsonNode.class)));
        assertTrue(e2.getMessage().contains("\"same\"") && e2.getMessage().contains("[1,2,3]"), e2.getMessage());
    }
}

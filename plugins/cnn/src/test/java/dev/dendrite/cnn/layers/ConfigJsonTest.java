package dev.dendrite.cnn.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dendrite.inject.Registries;
import dev.dendrite.nn.Layer;
import dev.dendrite.nn.LayerContext;
import dev.dendrite.nn.LayerProvider;
import dev.dendrite.nn.LayerSpec;
import dev.dendrite.random.Rng;
import dev.dendrite.spi.Json;
import dev.dendrite.spi.Registry;
import dev.dendrite.tensor.Tensor;
import dev.dendrite.testkit.Compare;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** Configs in JSON as PyTorch users write them, the registry, and PyTorch's default initialisation. */
class ConfigJsonTest {
    private static final Registry<LayerProvider<?>> LAYERS =
            Registries.discover(ConfigJsonTest.class.getClassLoader()).layers();

    private static Layer build(String json) {
        return new LayerContext(DataType.DOUBLE, new Rng(1), LAYERS).build(Json.read(json, LayerSpec.class));
    }

    @Test
    void everyLayerIsRegistered() {
        for (String id : List.of("conv1d", "conv2d", "conv_transpose2d", "max_pool2d", "avg_pool2d", "global_avg_pool2d",
                "global_max_pool2d", "batch_norm1d", "batch_norm2d", "upsample2d")) {
            assertTrue(LAYERS.contains(id), id);
            assertEquals(id, build("{\"type\": \"" + id + "\"}").kind());
        }
    }

    @Test
    void sizesArePairsOrOneIntAndPaddingMayBeSame() {
        Layer conv = build("""
                {"type": "conv2d", "config": {"in": 3, "out": 8, "kernel": [3, 5], "padding": "same",
                 "dilation": 2, "bias": false}}""");
        assertArrayEquals(new long[] {8, 3, 3, 5}, conv.parameters().get("weight").shape());
        assertEquals(1, conv.parameters().size());
        assertArrayEquals(new long[] {2, 8, 7, 9},
                conv.forward(Tensor.of(Nd4j.ones(DataType.DOUBLE, 2, 3, 7, 9))).shape(), "same keeps H and W");

        Conv2d.Config c = new Conv2d.Config(3, 8, Size2d.of(3, 5), Size2d.of(2), Padding.of(1, 2), Size2d.of(1), 1, true);
        String json = Json.write(c);
        assertTrue(json.contains("\"kernel\" : [ 3, 5 ]") && json.contains("\"stride\" : 2")
                && json.contains("\"padding\" : [ 1, 2 ]"), json);
        assertEquals(c, Json.config(new Conv2d.Provider(), Json.toTree(c)));
        assertEquals(Padding.SAME, Json.config(new Conv2d.Provider(), Json.toTree(c.withPadding(Padding.SAME))).padding());
        assertEquals(Padding.VALID, Json.read("\"valid\"", Padding.class));
    }

    @Test
    void poolStrideDefaultsToTheKernel() {
        MaxPool2d.Config c = Json.config(new MaxPool2d.Provider(), Json.read("{\"kernel\": 3}",
                com.fasterxml.jackson.databind.JsonNode.class));
        assertNull(c.stride());
        Layer pool = build("{\"type\": \"max_pool2d\", \"config\": {\"kernel\": 3}}");
        assertArrayEquals(new long[] {1, 2, 3, 3}, pool.forward(Tensor.of(Nd4j.ones(DataType.DOUBLE, 1, 2, 9, 10)))
                .shape());
        Layer ceil = build("{\"type\": \"avg_pool2d\", \"config\": {\"kernel\": 3, \"ceilMode\": true}}");
        assertArrayEquals(new long[] {1, 2, 3, 4}, ceil.forward(Tensor.of(Nd4j.ones(DataType.DOUBLE, 1, 2, 9, 10)))
                .shape());
    }

    @Test
    void convolutionWeightsFollowPyTorchsDefaultInitialisation() {
        // U(±1/√fanIn) with fanIn = in/groups·kH·kW = 2·3·3 = 18 for weight and bias.
        Layer conv = build("{\"type\": \"conv2d\", \"config\": {\"in\": 4, \"out\": 64, \"kernel\": 3, \"groups\": 2}}");
        double bound = 1 / Math.sqrt(18);
        double max = Compare.maxAbs("conv2d weight", conv.parameters().get("weight").data());
        assertTrue(max <= bound && max > 0.9 * bound, "max |w| " + max + " vs bound " + bound);
        assertTrue(Compare.maxAbs("conv2d bias", conv.parameters().get("bias").data()) <= bound);
        // ConvTranspose2d: weight [in, out/groups, kH, kW], fanIn = out/groups·kH·kW = 32·4 = 128.
        Layer t = build("{\"type\": \"conv_transpose2d\", \"config\": {\"in\": 64, \"out\": 32, \"kernel\": 2}}");
        assertArrayEquals(new long[] {64, 32, 2, 2}, t.parameters().get("weight").shape());
        double tMax = Compare.maxAbs("conv_transpose2d weight", t.parameters().get("weight").data());
        assertTrue(tMax <= 1 / Math.sqrt(128) && tMax > 0.9 / Math.sqrt(128), "max |w| " + tMax);
    }

    @Test
    void conv1dTakesIntsAndSame() {
        Layer conv = build("{\"type\": \"conv1d\", \"config\": {\"in\": 2, \"out\": 4, \"kernel\": 4, \"padding\": \"same\"}}");
        assertArrayEquals(new long[] {4, 2, 4}, conv.parameters().get("weight").shape());
        assertArrayEquals(new long[] {3, 4, 11}, conv.forward(Tensor.of(Nd4j.ones(DataType.DOUBLE, 3, 2, 11))).shape());
    }
}

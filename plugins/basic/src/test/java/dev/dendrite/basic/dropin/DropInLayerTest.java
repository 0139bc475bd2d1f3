package dev.dendrite.basic.dropin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.inject.Guice;
import com.google.inject.Injector;
import dev.dendrite.inject.DendriteModule;
import dev.dendrite.inject.Registries;
import dev.dendrite.inject.Settings;
import dev.dendrite.nn.Layer;
import dev.dendrite.nn.LayerContext;
import dev.dendrite.nn.LayerSpec;
import dev.dendrite.ops.F;
import dev.dendrite.spi.Json;
import dev.dendrite.tensor.Tensor;
import dev.dendrite.testkit.LayerConformance;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** The drop-in story: a layer from outside Dendrite, found through ServiceLoader, used like a built-in. */
class DropInLayerTest {

    @Test
    void passesTheConformanceKitInOneLine() {
        var report = LayerConformance.of(new Swish.Provider()).input(3, 4).anyRank().check();
        assertTrue(report.gradients().maxError().containsKey("beta"), "β is gradient-checked");
        // Swish has no export code: it composes primitives, so its ONNX export and ORT agreement come free.
        assertTrue(report.onnx().startsWith("max abs diff vs ONNX Runtime"), report.onnx());
    }

    @Test
    void isDiscoveredBesideTheBuiltInLayers() {
        Registries r = Guice.createInjector(new DendriteModule(Settings.defaults())).getInstance(Registries.class);
        assertTrue(r.layers().contains("swish"));
        assertTrue(r.layers().contains("dense"));
        assertTrue(r.layers().contains("sequential"));
    }

    @Test
    void buildsFromASpecAndTrains() {
        Injector injector = Guice.createInjector(new DendriteModule(Settings.defaults().withDtype(DataType.DOUBLE)));
        String spec = """
                {"type": "sequential", "config": {"layers": [
                  {"type": "dense", "name": "fc", "config": {"in": 3, "out": 2}},
                  {"type": "swish", "name": "act", "config": {"beta": 2.0}}
                ]}}""";
        Layer model = injector.getInstance(LayerContext.class).build(Json.read(spec, LayerSpec.class));
        assertEquals(java.util.List.of("fc.weight", "fc.bias", "act.beta"), java.util.List.copyOf(
                model.parameters().keySet()));
        Tensor x = Tensor.of(Nd4j.rand(DataType.DOUBLE, 5, 3));
        F.sum(model.forward(x), false).backward();
        Tensor beta = model.parameters().get("act.beta");
        assertNotNull(beta.grad(), "the gradient reaches the plugin's parameter");
        assertEquals(2.0, beta.data().getDouble(0), 0.0);
    }
}

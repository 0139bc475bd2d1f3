package dev.dendrite.reference.generative;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.inject.Guice;
import com.google.inject.Injector;
import dev.dendrite.inject.DendriteModule;
import dev.dendrite.inject.Registries;
import dev.dendrite.inject.Settings;
import dev.dendrite.nn.ComponentSpec;
import dev.dendrite.nn.Layer;
import dev.dendrite.nn.LayerContext;
import dev.dendrite.nn.LayerSpec;
import dev.dendrite.optim.Optimizer;
import dev.dendrite.random.Rng;
import dev.dendrite.spi.Json;
import dev.dendrite.tensor.Tensor;
import dev.dendrite.train.Components;
import java.util.Map;

/**
 * One seeded run's engine: layers built from JSON specs and optimizers through the plugin registries, and the
 * run's single random stream, which initialisation, shuffling and the VAE's noise all draw from in order, so a
 * seed fixes the run.
 */
final class Engine {
    private final LayerContext layers;
    private final Registries registries;

    Engine(long seed) {
        Injector injector = Guice.createInjector(new DendriteModule(Settings.defaults().withSeed(seed)));
        this.layers = injector.getInstance(LayerContext.class);
        this.registries = injector.getInstance(Registries.class);
    }

    Rng rng() {
        return layers.rng();
    }

    /** A sequential model from the JSON of its layer list, e.g. {@code [{"type": "relu"}]}. */
    Layer sequential(String layersJson) {
        return layers.build(Json.read("{\"type\": \"sequential\", \"config\": {\"layers\": " + layersJson + "}}",
                LayerSpec.class));
    }

    /** An optimizer by provider id and JSON config, e.g. {@code adam}, {@code {"lr": 0.001}}. */
    Optimizer optimizer(String type, String configJson, Map<String, Tensor> parameters) {
        ComponentSpec spec = new ComponentSpec(type, Json.read(configJson, JsonNode.class));
        return Components.optimizer(registries, spec, parameters);
    }
}

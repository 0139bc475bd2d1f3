package dev.dendrite.reference.sequence;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.inject.Guice;
import com.google.inject.Injector;
import dev.dendrite.inject.DendriteModule;
import dev.dendrite.inject.Registries;
import dev.dendrite.inject.Settings;
import dev.dendrite.loss.Loss;
import dev.dendrite.nn.ComponentSpec;
import dev.dendrite.nn.LayerContext;
import dev.dendrite.optim.Optimizer;
import dev.dendrite.random.Rng;
import dev.dendrite.spi.Json;
import dev.dendrite.tensor.Tensor;
import dev.dendrite.train.Components;
import java.util.Map;

/**
 * One seeded run's engine: the layer context (dtype, the run's single random stream) that the models' layers are
 * built with, and the optimizer and loss from the plugin registries. Initialisation, batch order and dropout masks
 * all draw from the one stream in order, so a seed fixes the run.
 */
final class SequenceEngine {
    private final LayerContext layers;
    private final Registries registries;

    SequenceEngine(long seed) {
        Injector injector = Guice.createInjector(new DendriteModule(Settings.defaults().withSeed(seed)));
        this.layers = injector.getInstance(LayerContext.class);
        this.registries = injector.getInstance(Registries.class);
    }

    LayerContext layers() {
        return layers;
    }

    Rng rng() {
        return layers.rng();
    }

    /** An optimizer by provider id and JSON config, e.g. {@code adam}, {@code {"lr": 0.002}}. */
    Optimizer optimizer(String type, String configJson, Map<String, Tensor> parameters) {
        return Components.optimizer(registries, new ComponentSpec(type, Json.read(configJson, JsonNode.class)),
                parameters);
    }

    /** Mean cross-entropy of logits [M, C] against class ids [M] (the basic plugin's {@code cross_entropy}). */
    Loss crossEntropy() {
        return Components.loss(registries, new ComponentSpec("cross_entropy", Json.read("{}", JsonNode.class)));
    }
}

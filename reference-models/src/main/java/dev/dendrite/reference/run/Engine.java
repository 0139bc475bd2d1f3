package dev.dendrite.reference.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.inject.Guice;
import com.google.inject.Injector;
import dev.dendrite.inject.DendriteModule;
import dev.dendrite.inject.Registries;
import dev.dendrite.loss.Loss;
import dev.dendrite.nn.ComponentSpec;
import dev.dendrite.nn.Layer;
import dev.dendrite.nn.LayerContext;
import dev.dendrite.nn.LayerSpec;
import dev.dendrite.optim.Optimizer;
import dev.dendrite.random.Rng;
import dev.dendrite.spi.Json;
import dev.dendrite.tensor.CompiledStep;
import dev.dendrite.tensor.Tensor;
import dev.dendrite.train.Components;
import java.util.Map;

/**
 * One seeded run's engine for the studies that write their own training loop (generative, sequence models):
 * the layer context, layers built from JSON specs, optimizers and losses through the plugin registries, and the
 * run's single random stream, which initialisation, shuffling, dropout and sampling noise all draw from in
 * order, so a seed fixes the run.
 */
public final class Engine {
    private final LayerContext layers;
    private final Registries registries;
    private final boolean compiled;

    public Engine(long seed) {
        this(seed, EngineOptions.DEFAULT);
    }

    public Engine(long seed, EngineOptions options) {
        Injector injector = Guice.createInjector(new DendriteModule(options.settings(seed)));
        this.layers = injector.getInstance(LayerContext.class);
        this.registries = injector.getInstance(Registries.class);
        this.compiled = options.compiled();
    }

    /**
     * A training step of {@code model} as a compiled step ({@link CompiledStep}: captured per input shape, then
     * replayed), or eager under {@code --eager}; its random primitives draw from the run's stream.
     */
    public CompiledStep step(String name, Layer model, CompiledStep.Body body) {
        return new CompiledStep(name, body, rng(), compiled, model::buffers);
    }

    /** As {@link #step(String, Layer, CompiledStep.Body)}, keeping up to {@code plans} input shapes' plans. */
    public CompiledStep step(String name, Layer model, CompiledStep.Body body, int plans) {
        return new CompiledStep(name, body, rng(), compiled, model::buffers, plans);
    }

    public LayerContext layers() {
        return layers;
    }

    public Rng rng() {
        return layers.rng();
    }

    /** A sequential model from the JSON of its layer list, e.g. {@code [{"type": "relu"}]}. */
    public Layer sequential(String layersJson) {
        return layers.build(Json.read("{\"type\": \"sequential\", \"config\": {\"layers\": " + layersJson + "}}",
                LayerSpec.class));
    }

    /** An optimizer by provider id and JSON config, e.g. {@code adam}, {@code {"lr": 0.001}}. */
    public Optimizer optimizer(String type, String configJson, Map<String, Tensor> parameters) {
        ComponentSpec spec = new ComponentSpec(type, Json.read(configJson, JsonNode.class));
        return Components.optimizer(registries, spec, parameters);
    }

    /** Mean cross-entropy of logits [M, C] against class ids [M] (the basic plugin's {@code cross_entropy}). */
    public Loss crossEntropy() {
        return Components.loss(registries, new ComponentSpec("cross_entropy", Json.read("{}", JsonNode.class)));
    }
}

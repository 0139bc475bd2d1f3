package dev.dendrite.bench.compare;

import com.google.inject.Guice;
import com.google.inject.Injector;
import dev.dendrite.inject.DendriteModule;
import dev.dendrite.inject.Registries;
import dev.dendrite.inject.Settings;
import dev.dendrite.loss.Loss;
import dev.dendrite.nn.Layer;
import dev.dendrite.nn.LayerContext;
import dev.dendrite.nn.LayerSpec;
import dev.dendrite.ops.F;
import dev.dendrite.optim.Optimizer;
import dev.dendrite.random.Rng;
import dev.dendrite.spi.Json;
import dev.dendrite.tensor.Tensor;
import dev.dendrite.train.Components;
import dev.dendrite.train.TrainStep;
import dev.dendrite.train.TrainingSpec;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The sequence rows, built from layer specs as a run builds them, with a fixed random batch from the seed; one
 * iteration is zeroGrad, forward, cross-entropy, backward, SGD (lr 0.01, momentum 0.9) step and the loss read back,
 * as the other training rows. torch_worker.py builds the same models.
 * <ul>
 *   <li>{@code lstm_train_b32}: a character language model's step: tokens [32, 50] over 64 symbols → embedding
 *       128 → LSTM 256 (batch first) → dense 64 at every step, cross-entropy over all 32 × 50 next-token targets.
 *   <li>{@code transformer_train_b32}: a 2-layer transformer encoder (d 128, 4 heads, feed-forward 512, ReLU,
 *       post-norm, no dropout) over [32, 64, 128] inputs, mean over the tokens, dense 10, cross-entropy.
 * </ul>
 */
final class SequenceSteps {
    static final int SEQ_LEN = 50;
    static final int VOCAB = 64;
    static final int TOKENS = 64;
    static final int D_MODEL = 128;

    private static final String LSTM_LM = """
            {"model": {"type": "sequential", "config": {"layers": [
               {"type": "embedding", "name": "embed", "config": {"count": 64, "dim": 128}},
               {"type": "lstm", "name": "lstm", "config": {"inputSize": 128, "hiddenSize": 256, "numLayers": 1,
                   "bias": true, "batchFirst": true, "dropout": 0, "bidirectional": false}},
               {"type": "dense", "name": "head", "config": {"in": 256, "out": 64}}]}},
             "loss": {"type": "cross_entropy"},
             "optimizer": {"type": "sgd", "config": {"lr": 0.01, "momentum": 0.9}},
             "epochs": 1, "batchSize": 32, "seed": 42, "data": "fashion-mnist"}""";

    private static final String ENCODER_LAYER = """
            {"type": "transformer_encoder_layer", "name": "%s", "config": {"dModel": 128, "nhead": 4,
                "dimFeedforward": 512, "dropout": 0, "activation": "relu", "normFirst": false, "batchFirst": true,
                "layerNormEps": 1e-5}}""";

    private static final String TRANSFORMER = """
            {"model": {"type": "sequential", "config": {"layers": [%s, %s]}},
             "loss": {"type": "cross_entropy"},
             "optimizer": {"type": "sgd", "config": {"lr": 0.01, "momentum": 0.9}},
             "epochs": 1, "batchSize": 32, "seed": 42, "data": "fashion-mnist"}"""
            .formatted(ENCODER_LAYER.formatted("layer0"), ENCODER_LAYER.formatted("layer1"));

    private SequenceSteps() {}

    static Runnable lstm(int batch, long seed, boolean compiled) {
        Parts p = new Parts(LSTM_LM, null, seed);
        INDArray tokens = Nd4j.rand(DataType.FLOAT, batch, SEQ_LEN).muli(VOCAB).castTo(DataType.LONG);
        INDArray targets = Nd4j.rand(DataType.FLOAT, batch * SEQ_LEN).muli(VOCAB).castTo(DataType.LONG);
        TrainStep step = p.step(x -> F.reshape(p.model.forward(x), batch * SEQ_LEN, VOCAB), compiled);
        return () -> step.run(tokens, targets);
    }

    static Runnable transformer(int batch, long seed, boolean compiled) {
        Parts p = new Parts(TRANSFORMER, """
                {"type": "dense", "name": "head", "config": {"in": 128, "out": 10}}""", seed);
        INDArray x = Nd4j.randn(DataType.FLOAT, batch, TOKENS, D_MODEL);
        INDArray labels = Nd4j.rand(DataType.FLOAT, batch).muli(10).castTo(DataType.LONG);
        TrainStep step = p.step(in -> p.head.forward(F.mean(p.model.forward(in), false, 1)), compiled);
        return () -> step.run(x, labels);
    }

    /** A spec's model, an optional head applied after the step's own glue, the loss, and one optimizer over both. */
    private static final class Parts {
        final Layer model;
        final Layer head;
        final Loss loss;
        final Optimizer opt;
        final Rng rng;

        Parts(String specJson, String headJson, long seed) {
            TrainingSpec spec = Json.read(specJson, TrainingSpec.class);
            Injector injector = Guice.createInjector(new DendriteModule(Settings.defaults().withSeed(seed)));
            Registries registries = injector.getInstance(Registries.class);
            LayerContext context = injector.getInstance(LayerContext.class);
            model = context.build(spec.model());
            rng = context.rng();
            head = headJson == null ? null : context.build(Json.read(headJson, LayerSpec.class));
            Map<String, Tensor> parameters = new LinkedHashMap<>(model.parameters());
            if (head != null) {
                head.parameters().forEach((k, v) -> parameters.put("head." + k, v));
            }
            model.train(true);
            loss = Components.loss(registries, spec.loss());
            opt = Components.optimizer(registries, spec.optimizer(), parameters);
            Nd4j.getRandom().setSeed(seed);
        }

        /** The training step on {@code logits} of the batch's input (compiled, or eager). */
        TrainStep step(UnaryOperator<Tensor> logits, boolean compiled) {
            return new TrainStep(model, logits, loss, opt, rng, compiled);
        }
    }
}

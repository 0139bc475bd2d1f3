package dev.dendrite.reference.generative;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.dendrite.data.ArrayDataset;
import dev.dendrite.data.DataLoader;
import dev.dendrite.nn.Layer;
import dev.dendrite.nn.Parameters;
import dev.dendrite.optim.Optimizer;
import dev.dendrite.reference.data.FashionMnist;
import dev.dendrite.reference.data.PixelScale;
import dev.dendrite.reference.run.Engine;
import dev.dendrite.reference.run.EngineOptions;
import dev.dendrite.tensor.CompiledStep;
import dev.dendrite.tensor.Tensor;
import dev.dendrite.testkit.Compare;
import java.util.Map;
import java.util.function.BiFunction;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The generative studies' loop ({@link GradientSteps} on a compiled step) gives what eager gives, bit for bit: two
 * epochs over 650 images in batches of 100 (a last partial batch, shuffling, the VAE's ε drawn by a random
 * primitive every step) leave the same objective per epoch, parameters and Adam state.
 */
class CompiledGenerativeTest {
    private static final ArrayDataset IMAGES = images();

    private static ArrayDataset images() {
        ArrayDataset unit = PixelScale.unit(FashionMnist.embedded().train());
        INDArray x = unit.features().get(NDArrayIndex.interval(0, 650), NDArrayIndex.all()).dup();
        INDArray y = unit.labels().get(NDArrayIndex.interval(0, 650)).dup();
        return new ArrayDataset(x, y, "650 images");
    }

    private record Outcome(double[] losses, Map<String, INDArray> params, Map<String, INDArray> adam) {}

    private static Outcome run(String model, boolean compiled) {
        Engine engine = new Engine(5, new EngineOptions(compiled, false));
        Layer net;
        BiFunction<Layer, Tensor, Tensor> objective;
        if (model.equals("vae")) {
            Vae vae = new Vae(engine, 784, 64, 8);
            net = vae;
            objective = (m, x) -> vae.loss(x, engine.rng());
        } else {
            net = DeepAutoencoder.build(engine);
            objective = DeepAutoencoder::loss;
        }
        Optimizer adam = engine.optimizer("adam", "{\"lr\": 0.001}", net.parameters());
        DataLoader loader = new DataLoader(IMAGES, 100, true, false, engine.rng());
        Layer m = net;
        CompiledStep step = engine.step(model, net, in -> new Tensor[] {objective.apply(m, in[0])});
        double[] losses = new double[2];
        for (int e = 0; e < 2; e++) {
            net.train(true);
            losses[e] = GradientSteps.epoch(loader, adam, net, step);
        }
        return new Outcome(losses, Parameters.snapshot(net), adam.state());
    }

    @ParameterizedTest
    @ValueSource(strings = {"vae", "deep-autoencoder"})
    void compiledStepsAreBitIdenticalToEager(String model) {
        Outcome eager = run(model, false);
        Outcome compiled = run(model, true);
        assertEquals(eager.losses()[0], compiled.losses()[0], 0.0, "epoch 1 objective");
        assertEquals(eager.losses()[1], compiled.losses()[1], 0.0, "epoch 2 objective");
        eager.params().forEach((k, v) -> Compare.assertBitEqual(model + " " + k, compiled.params().get(k), v));
        eager.adam().forEach((k, v) -> Compare.assertBitEqual(model + " Adam " + k, compiled.adam().get(k), v));
    }
}

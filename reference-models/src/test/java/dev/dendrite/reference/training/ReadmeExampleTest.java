package dev.dendrite.reference.training;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.inject.Guice;
import com.google.inject.Injector;
import dev.dendrite.inject.DendriteModule;
import dev.dendrite.inject.Registries;
import dev.dendrite.inject.Settings;
import dev.dendrite.loss.Loss;
import dev.dendrite.nn.ComponentSpec;
import dev.dendrite.nn.Layer;
import dev.dendrite.nn.LayerContext;
import dev.dendrite.nn.LayerSpec;
import dev.dendrite.optim.Optimizer;
import dev.dendrite.spi.Json;
import dev.dendrite.tensor.Tensor;
import dev.dendrite.testkit.Compare;
import dev.dendrite.train.Components;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The README's "A first model", as written there: if this stops compiling, the README is wrong. */
class ReadmeExampleTest {
    @Test
    void theFirstModelSnippetTrainsAStep() {
        INDArray images = Nd4j.rand(DataType.FLOAT, 8, 784);
        INDArray labels = Nd4j.createFromArray(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L);

        Injector dendrite = Guice.createInjector(new DendriteModule(Settings.defaults().withSeed(1)));
        LayerContext ctx = dendrite.getInstance(LayerContext.class);
        Registries registries = dendrite.getInstance(Registries.class);

        Layer mlp = ctx.build(Json.read("""
            {"type": "sequential", "config": {"layers": [
              {"type": "dense", "name": "fc1", "config": {"in": 784, "out": 256}},
              {"type": "relu"},
              {"type": "dense", "name": "fc2", "config": {"in": 256, "out": 10}}]}}""", LayerSpec.class));
        Loss loss = Components.loss(registries, Json.read("{\"type\": \"cross_entropy\"}", ComponentSpec.class));
        Optimizer adam = Components.optimizer(registries,
            Json.read("{\"type\": \"adam\", \"config\": {\"lr\": 0.001}}", ComponentSpec.class), mlp.parameters());

        Tensor logits = mlp.forward(Tensor.of(images));
        Tensor l = loss.apply(logits, Tensor.of(labels));
        l.backward();
        INDArray before = mlp.parameters().get("fc1.weight").data().dup();
        assertNotNull(mlp.parameters().get("fc1.weight").grad());
        adam.step();
        adam.zeroGrad();
        // INDArray.equals has a tolerance (and a NaN step would not be "equal" either): measure the move.
        double moved = Compare.maxAbsDiff("fc1.weight after the step", mlp.parameters().get("fc1.weight").data(),
                before);
        assertTrue(moved > 0, "the step moved the weights");
    }
}

package dev.dendrite.reference.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.inject.Guice;
import com.google.inject.Injector;
import dev.dendrite.data.Subset;
import dev.dendrite.inject.DendriteModule;
import dev.dendrite.inject.Registries;
import dev.dendrite.nn.LayerContext;
import dev.dendrite.nn.Parameters;
import dev.dendrite.reference.data.FashionMnist;
import dev.dendrite.reference.models.ReferenceModels;
import dev.dendrite.spi.Json;
import dev.dendrite.testkit.Compare;
import dev.dendrite.train.EpochStats;
import dev.dendrite.train.Runs;
import dev.dendrite.train.Trainer;
import dev.dendrite.train.TrainingRun;
import dev.dendrite.train.TrainingSpec;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Every reference model trained by the {@link Trainer} (LeNet-5, the MLP, the ViT, and the kernel studies' backprop
 * networks) gives the same run compiled as eager, bit for bit: losses and accuracies every epoch, every parameter,
 * every optimizer slot, the random stream. Two short epochs on 600 training images (shuffling, dropout, a last
 * partial batch, evaluation), so every step signature is captured, verified and replayed. The studies with loops
 * of their own are held to the same in their own tests (CompiledGanTest, CompiledStudiesTest).
 */
class CompiledEquivalenceTest {
    private static final FashionMnist DATA = FashionMnist.embedded();

    private static TrainingSpec spec(String name) {
        if (name.equals("kernel-mlp")) {
            return Json.read("""
                    {"model": {"type": "sequential", "config": {"layers": [
                       {"type": "dense", "name": "hidden", "config": {"in": 784, "out": 64}},
                       {"type": "sigmoid", "name": "act"},
                       {"type": "dense", "name": "readout", "config": {"in": 64, "out": 10}}]}},
                     "loss": {"type": "cross_entropy"},
                     "optimizer": {"type": "adam", "config": {"lr": 0.001}},
                     "epochs": 2, "batchSize": 128, "seed": 3, "data": "fashion-mnist"}""", TrainingSpec.class);
        }
        return ReferenceModels.get(name).spec().withEpochs(2);
    }

    private static Trainer.Result train(TrainingSpec spec, boolean compiled, Map<String, INDArray> params,
            Map<String, INDArray> optimizer) {
        Injector injector = Guice.createInjector(new DendriteModule(EngineOptions.DEFAULT.settings(spec.seed())
                .withCompiled(compiled)));
        Subset train = new Subset(DATA.train(), LongStream.range(0, 600).toArray(), "600 training images");
        Subset test = new Subset(DATA.test(), LongStream.range(0, 300).toArray(), "300 test images");
        TrainingRun run = Runs.fresh(spec, injector.getInstance(LayerContext.class),
                injector.getInstance(Registries.class), train, test);
        Trainer.Result r = new Trainer(injector.getInstance(dev.dendrite.random.Rng.class), Set.of(),
                injector.getInstance(dev.dendrite.inject.Settings.class)).fit(run);
        params.putAll(Parameters.snapshot(run.model().layer()));
        optimizer.putAll(run.optimizer().state());
        return r;
    }

    @ParameterizedTest
    @ValueSource(strings = {"lenet5", "mlp", "vit-fashion", "kernel-mlp"})
    void compiledTrainingIsBitIdenticalToEager(String name) {
        TrainingSpec spec = spec(name);
        Map<String, INDArray> pe = new java.util.LinkedHashMap<>();
        Map<String, INDArray> pc = new java.util.LinkedHashMap<>();
        Map<String, INDArray> oe = new java.util.LinkedHashMap<>();
        Map<String, INDArray> oc = new java.util.LinkedHashMap<>();
        Trainer.Result eager = train(spec, false, pe, oe);
        Trainer.Result compiled = train(spec, true, pc, oc);
        List<EpochStats> he = eager.state().history();
        List<EpochStats> hc = compiled.state().history();
        for (int e = 0; e < he.size(); e++) {
            EpochStats a = he.get(e);
            EpochStats b = hc.get(e);
            assertEquals(List.of(a.trainLoss(), a.testLoss(), a.testAccuracy()),
                    List.of(b.trainLoss(), b.testLoss(), b.testAccuracy()), name + " epoch " + (e + 1));
        }
        assertEquals(eager.state().rngState(), compiled.state().rngState(), name + ": the random stream");
        same(name + " parameter", pe, pc);
        same(name + " optimizer state", oe, oc);
        // The compiled run did replay: its training and evaluation steps were not left eager.
        assertTrue(compiled.plan().contains("native calls"), compiled.plan());
        assertFalse(compiled.plan().contains("eager:"), compiled.plan());
    }

    private static void same(String what, Map<String, INDArray> a, Map<String, INDArray> b) {
        assertEquals(a.keySet(), b.keySet(), what);
        a.forEach((k, v) -> Compare.assertBitEqual(what + " " + k, b.get(k), v));
    }
}

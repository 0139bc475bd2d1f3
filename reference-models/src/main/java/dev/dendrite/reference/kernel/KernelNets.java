package dev.dendrite.reference.kernel;

import com.google.inject.Guice;
import com.google.inject.Injector;
import dev.dendrite.inject.DendriteModule;
import dev.dendrite.inject.Registries;
import dev.dendrite.inject.Settings;
import dev.dendrite.kernel.elm.RidgeReadout;
import dev.dendrite.loss.Loss;
import dev.dendrite.nn.Init;
import dev.dendrite.nn.LayerContext;
import dev.dendrite.nn.Model;
import dev.dendrite.nn.Sequential;
import dev.dendrite.random.Rng;
import dev.dendrite.reference.data.FashionMnist;
import dev.dendrite.reference.run.OnnxExport;
import dev.dendrite.spi.Json;
import dev.dendrite.train.Components;
import dev.dendrite.train.Evaluation;
import dev.dendrite.train.TrainingSpec;
import java.nio.file.Path;

/**
 * The kernel studies' shared models: the one-hidden-layer network an ELM and backprop both train, and the
 * ELM's fit itself (random hidden layer, closed-form readout), timed the same way a training epoch is.
 */
final class KernelNets {
    /** Examples per forward pass while the ELM accumulates HᵀH. */
    static final int ELM_BATCH = 5000;

    private KernelNets() {}

    /** 784 → hidden (sigmoid, Huang et al.'s additive units) → 10, trained by Adam with cross-entropy. */
    static TrainingSpec oneHiddenLayer(int hidden, int epochs, long seed) {
        return Json.read("""
                {"model": {"type": "sequential", "config": {"layers": [
                   {"type": "dense", "name": "hidden", "config": {"in": 784, "out": %d}},
                   {"type": "sigmoid", "name": "act"},
                   {"type": "dense", "name": "readout", "config": {"in": %d, "out": 10}}]}},
                 "loss": {"type": "cross_entropy"},
                 "optimizer": {"type": "adam", "config": {"lr": 0.001}},
                 "epochs": %d, "batchSize": 128, "seed": %d, "data": "fashion-mnist"}"""
                .formatted(hidden, hidden, epochs, seed), TrainingSpec.class);
    }

    /** {@code n} distinct indices of [0, size), uniformly at random (a partial Fisher–Yates shuffle). */
    static long[] sample(Rng rng, long size, int n) {
        long[] all = new long[Math.toIntExact(size)];
        for (int i = 0; i < all.length; i++) {
            all[i] = i;
        }
        for (int i = 0; i < n; i++) {
            int j = i + rng.nextInt(all.length - i);
            long t = all[i];
            all[i] = all[j];
            all[j] = t;
        }
        return java.util.Arrays.copyOf(all, n);
    }

    /** What one ELM fit reached. */
    record ElmResult(int hidden, double ridge, double accuracy, double testLoss, RidgeReadout.Fit fit, String onnx) {}

    /**
     * An extreme learning machine on {@code data}: the network of {@link #oneHiddenLayer} with its hidden
     * layer left at its random initialisation (weights as initialised, biases U(−1, 1) as in Huang et al.),
     * the readout solved by ridge regression on the one-hot labels. Writes the model to {@code onnx} and
     * validates it in ONNX Runtime.
     */
    static ElmResult elm(FashionMnist data, int hidden, double ridge, long seed, Path onnx) {
        TrainingSpec spec = oneHiddenLayer(hidden, 1, seed);
        Injector injector = Guice.createInjector(new DendriteModule(Settings.defaults().withSeed(seed)));
        LayerContext ctx = injector.getInstance(LayerContext.class);
        Model model = Model.build(spec.model(), ctx);
        Sequential net = (Sequential) model.layer();
        net.parameters().get("hidden.bias").data().assign(Init.uniform(ctx.rng(),
                net.parameters().get("hidden.bias").dtype(), -1, 1, hidden));
        RidgeReadout.Fit fit = new RidgeReadout(ridge, ELM_BATCH).fit(net, data.train());
        Loss loss = Components.loss(injector.getInstance(Registries.class), spec.loss());
        Evaluation.Result test = Evaluation.evaluate(net, loss, data.test());
        return new ElmResult(hidden, ridge, test.accuracy(), test.loss(), fit,
                OnnxExport.writeValidated(net, OnnxExport.example(spec), onnx));
    }
}

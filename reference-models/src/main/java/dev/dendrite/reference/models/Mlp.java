package dev.dendrite.reference.models;

import dev.dendrite.spi.Json;
import dev.dendrite.train.TrainingSpec;

/**
 * The Fashion-MNIST benchmark's multilayer perceptron (Xiao, Rasul and Vollgraf 2017, the
 * benchmark table of zalandoresearch/fashion-mnist): 784-256-128-100-10 with ReLU, reported at 0.8833
 * test accuracy. Trained with Adam (lr 1e-3), batch 128, and a cosine decay over the run.
 */
public final class Mlp implements ReferenceModel {
    private static final String SPEC = """
            {"model": {"type": "sequential", "config": {"layers": [
               {"type": "dense", "name": "fc1", "config": {"in": 784, "out": 256}},
               {"type": "relu", "name": "relu1"},
               {"type": "dense", "name": "fc2", "config": {"in": 256, "out": 128}},
               {"type": "relu", "name": "relu2"},
               {"type": "dense", "name": "fc3", "config": {"in": 128, "out": 100}},
               {"type": "relu", "name": "relu3"},
               {"type": "dense", "name": "fc4", "config": {"in": 100, "out": 10}}]}},
             "loss": {"type": "cross_entropy"},
             "optimizer": {"type": "adam", "config": {"lr": 0.001}},
             "schedule": {"type": "cosine", "config": {"tMax": 15, "etaMin": 0.00005}},
             "epochs": 15, "batchSize": 128, "seed": 42, "data": "fashion-mnist"}""";

    @Override
    public String name() {
        return "mlp";
    }

    @Override
    public String title() {
        return "MLP 784-256-128-100-10, ReLU (Fashion-MNIST benchmark)";
    }

    @Override
    public double[] paperAccuracy() {
        return new double[] {0.8833};
    }

    @Override
    public String paperSource() {
        return "Fashion-MNIST benchmark (Xiao et al. 2017), MLPClassifier 256-128-100 relu, full test set";
    }

    @Override
    public TrainingSpec spec() {
        return Json.read(SPEC, TrainingSpec.class);
    }
}

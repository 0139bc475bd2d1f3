package dev.dendrite.reference.models;

import dev.dendrite.spi.Json;
import dev.dendrite.train.TrainingSpec;

/**
 * LeNet-5 (LeCun, Bottou, Bengio and Haffner 1998, "Gradient-based learning applied to document
 * recognition") as the MNIST and Fashion-MNIST literature runs it on 28×28 input: conv 5×5 ×6 (padded
 * to keep 28×28) → max-pool 2 → conv 5×5 ×16 → max-pool 2 → 120 → 84 → 10, ReLU activations.
 * Trained as the PyTorch reference measured on this machine: SGD lr 0.01, momentum 0.9, batch 64.
 */
public final class LeNet5 implements ReferenceModel {
    private static final String SPEC = """
            {"model": {"type": "sequential", "config": {"layers": [
               {"type": "reshape", "name": "image", "config": {"shape": [0, 1, 28, 28]}},
               {"type": "conv2d", "name": "conv1", "config": {"in": 1, "out": 6, "kernel": 5, "padding": 2}},
               {"type": "relu", "name": "relu1"},
               {"type": "max_pool2d", "name": "pool1", "config": {"kernel": 2}},
               {"type": "conv2d", "name": "conv2", "config": {"in": 6, "out": 16, "kernel": 5}},
               {"type": "relu", "name": "relu2"},
               {"type": "max_pool2d", "name": "pool2", "config": {"kernel": 2}},
               {"type": "flatten", "name": "flatten"},
               {"type": "dense", "name": "fc1", "config": {"in": 400, "out": 120}},
               {"type": "relu", "name": "relu3"},
               {"type": "dense", "name": "fc2", "config": {"in": 120, "out": 84}},
               {"type": "relu", "name": "relu4"},
               {"type": "dense", "name": "fc3", "config": {"in": 84, "out": 10}}]}},
             "loss": {"type": "cross_entropy"},
             "optimizer": {"type": "sgd", "config": {"lr": 0.01, "momentum": 0.9}},
             "epochs": 10, "batchSize": 64, "seed": 42, "data": "fashion-mnist"}""";

    @Override
    public String name() {
        return "lenet5";
    }

    @Override
    public String title() {
        return "LeNet-5 (LeCun et al. 1998) on Fashion-MNIST";
    }

    /** The Fashion-MNIST benchmark's band for small conv+pool nets (LeNet-5 itself was published on MNIST). */
    @Override
    public double[] paperAccuracy() {
        return new double[] {0.876, 0.916};
    }

    @Override
    public String paperSource() {
        return "Fashion-MNIST benchmark band for 2-conv+pool nets (Xiao et al. 2017); LeNet-5's own figure is "
                + "0.95% error on MNIST (LeCun et al. 1998); PyTorch LeNet-5 here, same recipe: 0.889-0.897 after 10 "
                + "epochs over seeds 1-3, training 7.4-10.7 s per epoch on 2 threads (2026-12-07; Dendrite's "
                + "seconds per epoch are on each epoch line above) (reference-models/src/test/python/pytorch_lenet5.py)";
    }

    @Override
    public TrainingSpec spec() {
        return Json.read(SPEC, TrainingSpec.class);
    }
}

package dev.dendrite.reference.gan;

import dev.dendrite.gan.GanSpec;
import dev.dendrite.spi.Json;

/**
 * Radford, Metz and Chintala 2015's DCGAN, sized for 28×28 Fashion-MNIST with matching strides (no padding to
 * 32×32): a generator that projects z ∈ R¹⁰⁰ to 7×7 feature maps (the paper's "project and reshape": a matrix
 * multiplication, the same as a 7×7 transposed convolution of a 1×1 input and ~10× faster here), then transposed
 * convolutions to 14×14 and 28×28, with BatchNorm and ReLU and a Tanh output; a strided-convolution discriminator 28×28 → 14×14 → 7×7 → one logit with LeakyReLU(0.2),
 * BatchNorm on all but its first layer (as the paper), no pooling and no dense layers. Weights N(0, 0.02), Adam
 * lr 2e-4, β1 0.5, batch 128, the non-saturating loss: the paper's recipe. Layers followed by BatchNorm have no
 * bias (BatchNorm's shift replaces it).
 *
 * <p>{@code width} is the channel count of the 14×14 layers (the paper's 64·k ladder, scaled): 32 here, so that
 * an epoch of 60,000 images fits a 2-core machine in about two minutes.
 */
public final class Dcgan {
    public static final int NOISE = 100;
    public static final int WIDTH = 32;

    private Dcgan() {}

    public static GanSpec spec(int width, int epochs, int batchSize, long seed) {
        int w1 = width;
        int w2 = 2 * width;
        return Json.read("""
                {"generator": {"type": "sequential", "config": {"layers": [
                   {"type": "dense", "name": "project", "config": {"in": %1$d, "out": %7$d, "bias": false}},
                   {"type": "reshape", "name": "to_7x7", "config": {"shape": [0, %3$d, 7, 7]}},
                   {"type": "batch_norm2d", "name": "bn1", "config": {"features": %3$d}},
                   {"type": "relu", "name": "relu1"},
                   {"type": "conv_transpose2d", "name": "up2", "config": {"in": %3$d, "out": %2$d, "kernel": 4, "stride": 2, "padding": 1, "bias": false}},
                   {"type": "batch_norm2d", "name": "bn2", "config": {"features": %2$d}},
                   {"type": "relu", "name": "relu2"},
                   {"type": "conv_transpose2d", "name": "up3", "config": {"in": %2$d, "out": 1, "kernel": 4, "stride": 2, "padding": 1}},
                   {"type": "tanh", "name": "out"}]}},
                 "discriminator": {"type": "sequential", "config": {"layers": [
                   {"type": "conv2d", "name": "conv1", "config": {"in": 1, "out": %2$d, "kernel": 4, "stride": 2, "padding": 1}},
                   {"type": "leaky_relu", "name": "lrelu1", "config": {"alpha": 0.2}},
                   {"type": "conv2d", "name": "conv2", "config": {"in": %2$d, "out": %3$d, "kernel": 4, "stride": 2, "padding": 1, "bias": false}},
                   {"type": "batch_norm2d", "name": "bn2", "config": {"features": %3$d}},
                   {"type": "leaky_relu", "name": "lrelu2", "config": {"alpha": 0.2}},
                   {"type": "conv2d", "name": "conv3", "config": {"in": %3$d, "out": 1, "kernel": 7}},
                   {"type": "flatten", "name": "logit"}]}},
                 "noise": [%1$d], "loss": {"type": "non_saturating"},
                 "generatorOptimizer": {"type": "adam", "config": {"lr": 0.0002, "beta1": 0.5}},
                 "discriminatorOptimizer": {"type": "adam", "config": {"lr": 0.0002, "beta1": 0.5}},
                 "initStd": 0.02, "epochs": %4$d, "batchSize": %5$d, "seed": %6$d, "data": "fashion-mnist"}"""
                .formatted(NOISE, w1, w2, epochs, batchSize, seed, w2 * 49), GanSpec.class);
    }
}

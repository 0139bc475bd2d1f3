package dev.dendrite.cnn.layers;

import dev.dendrite.nn.Init;
import dev.dendrite.nn.LayerContext;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * PyTorch's default for convolution weights and biases: kaiming_uniform with a = √5, which comes to
 * U(±1/√fanIn), fanIn = weight.size(1)·Πk, for the weight and for the bias alike.
 */
final class TorchInit {
    private TorchInit() {}

    static INDArray uniform(LayerContext ctx, long fanIn, long... shape) {
        double bound = 1 / Math.sqrt(fanIn);
        return Init.uniform(ctx.rng(), ctx.dtype(), -bound, bound, shape);
    }
}

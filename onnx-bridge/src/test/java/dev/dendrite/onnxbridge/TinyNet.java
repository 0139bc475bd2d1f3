package dev.dendrite.onnxbridge;

import dev.dendrite.nn.Init;
import dev.dendrite.nn.Module;
import dev.dendrite.ops.F;
import dev.dendrite.random.Rng;
import dev.dendrite.tensor.Tensor;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * A model as a third-party plugin would write it: only primitives, nested modules, no export code. Exercises
 * Gemm, a 3-D-safe matmul path, layer norm, a constant made during forward, and a reshape that keeps the batch.
 */
final class TinyNet extends Module {
    private final Tensor weight;
    private final Tensor bias;
    private final Head head;

    TinyNet(Rng rng) {
        super("tiny");
        weight = parameter("weight", Init.normal(rng, DataType.FLOAT, 0, 0.5, 6, 4));
        bias = parameter("bias", Init.normal(rng, DataType.FLOAT, 0, 0.1, 6));
        head = child("head", new Head(rng));
    }

    @Override
    protected Tensor call(Tensor x) {
        Tensor h = F.tanh(F.linear(x, weight, bias));
        h = F.reshape(h, 0, 2, 3);
        h = F.add(F.mul(h, 0.5), 1.0);
        return head.forward(F.flatten(h, 1));
    }

    static final class Head extends Module {
        private final Tensor gamma;
        private final Tensor beta;
        private final Tensor out;

        Head(Rng rng) {
            super("head");
            gamma = parameter("gamma", Init.normal(rng, DataType.FLOAT, 1, 0.1, 6));
            beta = parameter("beta", Init.normal(rng, DataType.FLOAT, 0, 0.1, 6));
            out = parameter("out", Init.normal(rng, DataType.FLOAT, 0, 0.5, 6, 3));
        }

        @Override
        protected Tensor call(Tensor x) {
            Tensor n = F.layerNorm(x, gamma, beta, -1, 1e-5);
            return F.matmul(F.relu(n), out);
        }
    }
}

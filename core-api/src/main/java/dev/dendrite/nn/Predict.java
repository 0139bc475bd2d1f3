package dev.dendrite.nn;

import dev.dendrite.random.Rng;
import dev.dendrite.tensor.CompiledStep;
import dev.dendrite.tensor.GradMode;
import dev.dendrite.tensor.Kernels;
import dev.dendrite.tensor.Tensor;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * A model's outputs for many examples: evaluation mode, no graph, {@code chunk} examples per forward (so a
 * 60,000-row input does not become one 60,000-row activation per layer), the previous mode restored after. The
 * chunks run as one compiled step (captured on the first two, replayed on the rest), unless asked for eager.
 */
public final class Predict {
    private Predict() {}

    /** {@code model(x)} row block by row block along the first axis, concatenated; compiled. */
    public static INDArray outputs(Layer model, INDArray x, int chunk) {
        return outputs(model, x, chunk, true);
    }

    /** As {@link #outputs(Layer, INDArray, int)}; {@code compiled} false runs every chunk eagerly. */
    public static INDArray outputs(Layer model, INDArray x, int chunk, boolean compiled) {
        boolean wasTraining = model.isTraining();
        model.train(false);
        try (GradMode.Scope off = GradMode.off();
                CompiledStep step = new CompiledStep("prediction", in -> new Tensor[] {model.forward(in[0])},
                        new Rng(0), compiled, model::buffers)) {
            long n = x.size(0);
            INDArray[] parts = new INDArray[(int) ((n + chunk - 1) / chunk)];
            for (int i = 0; i < parts.length; i++) {
                INDArray rows = x.get(NDArrayIndex.interval((long) i * chunk, Math.min(n, (i + 1L) * chunk)));
                // A copy: a replayed step's outputs live in its plan until its next call.
                parts[i] = Kernels.copy(step.forward(Boolean.FALSE, false, rows)[0].data());
            }
            return parts.length == 1 ? parts[0] : Nd4j.concat(0, parts);
        } finally {
            model.train(wasTraining);
        }
    }
}

package dev.dendrite.nn;

import dev.dendrite.tensor.GradMode;
import dev.dendrite.tensor.Tensor;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * A model's outputs for many examples: evaluation mode, no graph, {@code chunk} examples per forward (so a
 * 60,000-row input does not become one 60,000-row activation per layer), the previous mode restored after.
 */
public final class Predict {
    private Predict() {}

    /** {@code model(x)} row block by row block along the first axis, concatenated. */
    public static INDArray outputs(Layer model, INDArray x, int chunk) {
        boolean wasTraining = model.isTraining();
        model.train(false);
        try (GradMode.Scope off = GradMode.off()) {
            long n = x.size(0);
            INDArray[] parts = new INDArray[(int) ((n + chunk - 1) / chunk)];
            for (int i = 0; i < parts.length; i++) {
                INDArray rows = x.get(NDArrayIndex.interval((long) i * chunk, Math.min(n, (i + 1L) * chunk)));
                parts[i] = model.forward(Tensor.of(rows.dup())).data();
            }
            return parts.length == 1 ? parts[0] : Nd4j.concat(0, parts);
        } finally {
            model.train(wasTraining);
        }
    }
}

package dev.dendrite.reference.generative;

import dev.dendrite.data.Batch;
import dev.dendrite.data.DataLoader;
import dev.dendrite.optim.Optimizer;
import dev.dendrite.nn.Layer;
import dev.dendrite.tensor.CompiledStep;
import dev.dendrite.tensor.DendriteException;
import dev.dendrite.tensor.Tensor;

/**
 * One epoch of minibatch gradient descent on an unsupervised objective. The standard Trainer drives a model
 * and a (prediction, label) loss; the VAE's objective is a function of the batch alone (its noise included),
 * so the two studies share this loop instead.
 */
final class GradientSteps {
    private GradientSteps() {}

    /**
     * @param step the batch's features to the scalar to minimise (a mean over the batch), as a compiled step
     *     ({@link Engine#step}) of {@code model}
     * @return the objective's mean over the epoch's examples
     */
    static double epoch(DataLoader loader, Optimizer optimizer, Layer model, CompiledStep step) {
        double sum = 0;
        long seen = 0;
        try (DataLoader.Epoch epoch = loader.epoch()) {
            while (epoch.hasNext()) {
                Batch b = epoch.next();
                optimizer.zeroGrad();
                Tensor loss = step.forward(model.isTraining(), true, b.features())[0];
                double value = loss.item();
                if (!Double.isFinite(value)) {
                    step.cancel();
                    throw new DendriteException("training diverged: the objective is " + value + " after " + seen
                            + " examples of this epoch");
                }
                step.backward();
                optimizer.step();
                sum += value * b.size();
                seen += b.size();
            }
        }
        return sum / seen;
    }
}

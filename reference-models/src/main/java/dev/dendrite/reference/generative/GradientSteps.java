package dev.dendrite.reference.generative;

import dev.dendrite.data.Batch;
import dev.dendrite.data.DataLoader;
import dev.dendrite.optim.Optimizer;
import dev.dendrite.tensor.DendriteException;
import dev.dendrite.tensor.Tensor;
import java.util.function.Function;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One epoch of minibatch gradient descent on an unsupervised objective. The standard Trainer drives a model
 * and a (prediction, label) loss; the VAE's objective is a function of the batch alone (its noise included),
 * so the two studies share this loop instead.
 */
final class GradientSteps {
    private GradientSteps() {}

    /**
     * @param objective the batch's features to the scalar to minimise (a mean over the batch)
     * @return the objective's mean over the epoch's examples
     */
    static double epoch(DataLoader loader, Optimizer optimizer, Function<INDArray, Tensor> objective) {
        double sum = 0;
        long seen = 0;
        try (DataLoader.Epoch epoch = loader.epoch()) {
            while (epoch.hasNext()) {
                Batch b = epoch.next();
                optimizer.zeroGrad();
                Tensor loss = objective.apply(b.features());
                double value = loss.item();
                if (!Double.isFinite(value)) {
                    throw new DendriteException("training diverged: the objective is " + value + " after " + seen
                            + " examples of this epoch");
                }
                loss.backward();
                optimizer.step();
                sum += value * b.size();
                seen += b.size();
            }
        }
        return sum / seen;
    }
}

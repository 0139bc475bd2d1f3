package dev.dendrite.gan;

import dev.dendrite.nn.Layer;
import dev.dendrite.nn.Predict;
import dev.dendrite.tensor.DendriteException;
import dev.dendrite.tensor.Shapes;
import java.util.function.ToDoubleFunction;
import java.util.function.UnaryOperator;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Salimans et al.'s Inception Score (2016) with a classifier of our own in place of Inception:
 * exp(E_x KL(p(y|x) ‖ p(y))), p(y) the mean of p(y|x) over the images. High when each image is classified
 * confidently and the classes are used evenly; between 1 and the number of classes. With a Fashion-MNIST
 * classifier it needs no download, and the real test images give its ceiling.
 */
public final class ClassifierScore {
    private static final int CHUNK = 500;
    private static final double EPS = 1e-12;
    private final Layer classifier;
    private final UnaryOperator<INDArray> toInput;

    /**
     * @param classifier outputs class logits
     * @param toInput maps images as scored (e.g. a generator's [−1, 1] output) to the classifier's input scale
     */
    public ClassifierScore(Layer classifier, UnaryOperator<INDArray> toInput) {
        this.classifier = classifier;
        this.toInput = toInput;
    }

    /** The score of {@code images} (first axis: examples), classified in evaluation mode in chunks. */
    public double of(INDArray images) {
        return fromProbabilities(probabilities(images));
    }

    /** p(y|x) for every image, [n, classes]. */
    public INDArray probabilities(INDArray images) {
        INDArray logits = Predict.outputs(classifier, toInput.apply(images), CHUNK);
        return Transforms.softmax(logits.castTo(DataType.DOUBLE), false);
    }

    /** exp(mean_i Σ_y p_iy (log p_iy − log p̄_y)) for class probabilities {@code p} [n, classes]. */
    public static double fromProbabilities(INDArray p) {
        if (p.rank() != 2 || p.size(0) == 0) {
            throw new DendriteException("classifier score: probabilities must be [n > 0, classes], got "
                    + Shapes.str(p.shape()));
        }
        INDArray q = p.castTo(DataType.DOUBLE);
        INDArray marginal = q.mean(0);
        INDArray logQ = Transforms.log(q.add(EPS), false);
        INDArray logM = Transforms.log(marginal.add(EPS), false);
        double kl = q.mul(logQ.subRowVector(logM)).sumNumber().doubleValue() / q.size(0);
        return Math.exp(kl);
    }

    /** Scores a generator on a fixed batch of noise: what {@link GanTrainer} calls after every epoch. */
    public ToDoubleFunction<Layer> forGenerator(INDArray noise) {
        return generator -> of(generate(generator, noise));
    }

    /** The generator's output for {@code noise}, in evaluation mode and in chunks. */
    public static INDArray generate(Layer generator, INDArray noise) {
        return Predict.outputs(generator, noise, CHUNK);
    }
}

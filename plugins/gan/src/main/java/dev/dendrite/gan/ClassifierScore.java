package dev.dendrite.gan;

import dev.dendrite.nn.Layer;
import dev.dendrite.ops.F;
import dev.dendrite.tensor.DendriteException;
import dev.dendrite.tensor.GradMode;
import dev.dendrite.tensor.Shapes;
import dev.dendrite.tensor.Tensor;
import java.util.function.ToDoubleFunction;
import java.util.function.UnaryOperator;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
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
        long n = images.size(0);
        boolean wasTraining = classifier.isTraining();
        classifier.train(false);
        try (GradMode.Scope off = GradMode.off()) {
            INDArray p = null;
            for (long i = 0; i < n; i += CHUNK) {
                INDArray chunk = images.get(NDArrayIndex.interval(i, Math.min(n, i + CHUNK)));
                INDArray probs = F.softmax(classifier.forward(Tensor.of(toInput.apply(chunk.dup()))), 1).data();
                if (p == null) {
                    p = Nd4j.create(DataType.DOUBLE, n, probs.size(1));
                }
                p.get(NDArrayIndex.interval(i, i + probs.size(0)), NDArrayIndex.all()).assign(probs);
            }
            return p;
        } finally {
            classifier.train(wasTraining);
        }
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

    /** The generator's output for {@code noise}, in chunks (the caller sets evaluation mode). */
    public static INDArray generate(Layer generator, INDArray noise) {
        long n = noise.size(0);
        INDArray out = null;
        try (GradMode.Scope off = GradMode.off()) {
            for (long i = 0; i < n; i += CHUNK) {
                INDArray z = noise.get(NDArrayIndex.interval(i, Math.min(n, i + CHUNK))).dup();
                INDArray x = generator.forward(Tensor.of(z)).data();
                if (out == null) {
                    long[] shape = x.shape().clone();
                    shape[0] = n;
                    out = Nd4j.create(x.dataType(), shape);
                }
                out.get(NDArrayIndex.interval(i, i + x.size(0))).assign(x);
            }
        }
        return out;
    }
}

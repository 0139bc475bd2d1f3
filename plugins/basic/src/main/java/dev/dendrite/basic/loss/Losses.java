package dev.dendrite.basic.loss;

import dev.dendrite.loss.Loss;
import dev.dendrite.loss.LossProvider;
import dev.dendrite.ops.F;
import dev.dendrite.spi.BaseProvider;
import dev.dendrite.tensor.ShapeException;
import dev.dendrite.tensor.Tensor;

/** The basic losses, each written in primitives so backward and ONNX export need no extra code. */
public final class Losses {
    private Losses() {}

    public record Config(Reduction reduction) {}

    /** Mean (or sum) of squared errors. */
    public static final class Mse extends Base<Config> {
        public Mse() {
            super("mse", Config.class, new Config(Reduction.MEAN));
        }

        @Override
        Tensor compute(Config c, Tensor prediction, Tensor target) {
            Targets.sameShape(id(), prediction, target);
            Tensor d = F.sub(prediction, target);
            return c.reduction().reduce(F.mul(d, d));
        }
    }

    /** Mean (or sum) of absolute errors. */
    public static final class L1 extends Base<Config> {
        public L1() {
            super("l1", Config.class, new Config(Reduction.MEAN));
        }

        @Override
        Tensor compute(Config c, Tensor prediction, Tensor target) {
            Targets.sameShape(id(), prediction, target);
            return c.reduction().reduce(F.abs(F.sub(prediction, target)));
        }
    }

    /**
     * Cross-entropy of logits against class ids, optionally label-smoothed (Szegedy et al. 2016): the
     * target distribution is (1 − ε)·onehot + ε/C, as PyTorch's {@code label_smoothing}.
     */
    public record CrossEntropyConfig(Reduction reduction, double labelSmoothing) {}

    public static final class CrossEntropy extends Base<CrossEntropyConfig> {
        public CrossEntropy() {
            super("cross_entropy", CrossEntropyConfig.class, new CrossEntropyConfig(Reduction.MEAN, 0.0));
        }

        @Override
        Tensor compute(CrossEntropyConfig c, Tensor logits, Tensor target) {
            Tensor[] flat = Targets.classesLast(id(), logits, target);
            return c.reduction().reduce(F.crossEntropy(flat[0], flat[1], c.labelSmoothing()));
        }
    }

    /** Negative log-likelihood of log-probabilities against class ids. */
    public static final class Nll extends Base<Config> {
        public Nll() {
            super("nll", Config.class, new Config(Reduction.MEAN));
        }

        @Override
        Tensor compute(Config c, Tensor logProbs, Tensor target) {
            Tensor[] flat = Targets.classesLast(id(), logProbs, target);
            return c.reduction().reduce(F.nll(flat[0], flat[1]));
        }
    }

    /**
     * Binary cross-entropy on logits, in the stable form max(x, 0) − x·y + log(1 + e^−|x|), which never
     * takes the log of a saturated sigmoid.
     */
    public static final class BinaryCrossEntropy extends Base<Config> {
        public BinaryCrossEntropy() {
            super("binary_cross_entropy", Config.class, new Config(Reduction.MEAN));
        }

        @Override
        Tensor compute(Config c, Tensor logits, Tensor target) {
            Targets.sameShape(id(), logits, target);
            Tensor perElement = F.add(F.sub(F.relu(logits), F.mul(logits, target)), F.softplus(F.neg(F.abs(logits))));
            return c.reduction().reduce(perElement);
        }
    }

    /** Provider and loss in one: a loss is a function of its config. */
    abstract static class Base<C extends Record> extends BaseProvider<C> implements LossProvider<C> {
        Base(String id, Class<C> type, C defaults) {
            super(id, type, defaults);
        }

        @Override
        public final Loss create(C config) {
            return new Loss() {
                @Override
                public String kind() {
                    return id();
                }

                @Override
                public Tensor compute(Tensor prediction, Tensor target) {
                    return Base.this.compute(config, prediction, target);
                }
            };
        }

        abstract Tensor compute(C config, Tensor prediction, Tensor target);
    }
}

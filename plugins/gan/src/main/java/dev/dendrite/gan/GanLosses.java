package dev.dendrite.gan;

import dev.dendrite.ops.F;
import dev.dendrite.spi.BaseProvider;
import dev.dendrite.tensor.Tensor;

/**
 * The four standard GAN objectives. With s the discriminator's output and σ the logistic function:
 * <ul>
 *   <li>{@code minimax} (Goodfellow et al. 2014): D minimises BCE(s_real, t) + BCE(s_fake, 0); G minimises
 *       log(1 − σ(s_fake)) = −softplus(s_fake), the objective of the paper's min-max game (its gradient vanishes
 *       while D wins, which is why the paper itself suggests the next one);</li>
 *   <li>{@code non_saturating} (the same paper's practical variant): G minimises −log σ(s_fake) = softplus(−s_fake);</li>
 *   <li>{@code least_squares} (Mao et al. 2017, LSGAN, a-b-c = 0-1-1): D minimises ½(s_real − t)² + ½(s_fake − a)²,
 *       G minimises ½(s_fake − c)²;</li>
 *   <li>{@code hinge} (Lim &amp; Ye 2017; Miyato et al. 2018): D minimises relu(1 − s_real) + relu(1 + s_fake), G
 *       minimises −s_fake.</li>
 * </ul>
 * Every term is a mean over the batch; BCE with logits is written as softplus(s) − t·s, stable for any s.
 */
public final class GanLosses {
    private GanLosses() {}

    /** The config of a loss with nothing to configure; its JSON is {@code {}}. */
    public record NoConfig() {}

    /** Binary cross-entropy of logits {@code s} against a constant target {@code t}, averaged. */
    static Tensor bce(Tensor s, double t) {
        Tensor sp = F.softplus(s);
        return F.mean(t == 0 ? sp : F.sub(sp, F.mul(s, t)), false);
    }

    /** A provider of a loss with nothing to configure. */
    private abstract static class Unconfigured extends BaseProvider<NoConfig> implements GanLossProvider<NoConfig> {
        private final java.util.function.Supplier<GanLoss> loss;

        Unconfigured(String id, java.util.function.Supplier<GanLoss> loss) {
            super(id, NoConfig.class, new NoConfig());
            this.loss = loss;
        }

        @Override
        public GanLoss create(NoConfig config) {
            return loss.get();
        }
    }

    /** The discriminator's cross-entropy, shared by the two generator objectives of Goodfellow et al. */
    private abstract static class CrossEntropy implements GanLoss {
        private final String kind;

        CrossEntropy(String kind) {
            this.kind = kind;
        }

        @Override
        public String kind() {
            return kind;
        }

        @Override
        public Tensor discriminator(Tensor real, Tensor fake, double realTarget) {
            return F.add(bce(real, realTarget), bce(fake, 0));
        }
    }

    public static final class Minimax extends Unconfigured {
        public static final String ID = "minimax";

        public Minimax() {
            super(ID, () -> new CrossEntropy(ID) {
                @Override
                public Tensor generator(Tensor fake) {
                    return F.neg(F.mean(F.softplus(fake), false));
                }
            });
        }
    }

    public static final class NonSaturating extends Unconfigured {
        public static final String ID = "non_saturating";

        public NonSaturating() {
            super(ID, () -> new CrossEntropy(ID) {
                @Override
                public Tensor generator(Tensor fake) {
                    return bce(fake, 1);
                }
            });
        }
    }

    /** LSGAN's targets: a for generated examples in D's loss, c the value G wants D to output. */
    public record LeastSquaresConfig(double a, double c) {}

    public static final class LeastSquares extends BaseProvider<LeastSquaresConfig>
            implements GanLossProvider<LeastSquaresConfig> {
        public static final String ID = "least_squares";

        public LeastSquares() {
            super(ID, LeastSquaresConfig.class, new LeastSquaresConfig(0, 1));
        }

        @Override
        public GanLoss create(LeastSquaresConfig config) {
            return new GanLoss() {
                @Override
                public String kind() {
                    return ID;
                }

                @Override
                public Tensor discriminator(Tensor real, Tensor fake, double realTarget) {
                    return F.add(halfSquare(real, realTarget), halfSquare(fake, config.a()));
                }

                @Override
                public Tensor generator(Tensor fake) {
                    return halfSquare(fake, config.c());
                }
            };
        }

        private static Tensor halfSquare(Tensor s, double target) {
            Tensor d = target == 0 ? s : F.add(s, -target);
            return F.mul(F.mean(F.mul(d, d), false), 0.5);
        }
    }

    public static final class Hinge extends Unconfigured {
        public static final String ID = "hinge";

        public Hinge() {
            super(ID, () -> new GanLoss() {
                @Override
                public String kind() {
                    return ID;
                }

                @Override
                public Tensor discriminator(Tensor real, Tensor fake, double realTarget) {
                    return F.add(F.mean(F.relu(F.add(F.neg(real), 1)), false), F.mean(F.relu(F.add(fake, 1)), false));
                }

                @Override
                public Tensor generator(Tensor fake) {
                    return F.neg(F.mean(fake, false));
                }

                @Override
                public boolean hasRealTarget() {
                    return false;
                }
            });
        }
    }
}

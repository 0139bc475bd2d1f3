package dev.dendrite.basic.layers;

import dev.dendrite.ops.F;
import dev.dendrite.tensor.ShapeException;
import dev.dendrite.tensor.Shapes;
import dev.dendrite.tensor.Tensor;

/** The activation layers, one provider each (ids as in PyTorch's functional names). */
public final class Activations {
    private Activations() {}

    public static final class Relu extends Activation.Plain {
        public Relu() {
            super("relu", F::relu);
        }
    }

    public static final class Selu extends Activation.Plain {
        public Selu() {
            super("selu", F::selu);
        }
    }

    public static final class Gelu extends Activation.Plain {
        public Gelu() {
            super("gelu", F::gelu);
        }
    }

    public static final class Tanh extends Activation.Plain {
        public Tanh() {
            super("tanh", F::tanh);
        }
    }

    public static final class Sigmoid extends Activation.Plain {
        public Sigmoid() {
            super("sigmoid", F::sigmoid);
        }
    }

    public static final class Softplus extends Activation.Plain {
        public Softplus() {
            super("softplus", F::softplus);
        }
    }

    public static final class Softsign extends Activation.Plain {
        public Softsign() {
            super("softsign", F::softsign);
        }
    }

    /** @param alpha the slope for x < 0 (PyTorch's negative_slope, default 0.01) */
    public record LeakyReluConfig(double alpha) {}

    public static final class LeakyRelu extends Activation.Provider<LeakyReluConfig> {
        public LeakyRelu() {
            super("leaky_relu", LeakyReluConfig.class, new LeakyReluConfig(0.01));
        }

        @Override
        Tensor apply(LeakyReluConfig c, Tensor x) {
            return F.leakyRelu(x, c.alpha());
        }
    }

    public record EluConfig(double alpha) {}

    public static final class Elu extends Activation.Provider<EluConfig> {
        public Elu() {
            super("elu", EluConfig.class, new EluConfig(1.0));
        }

        @Override
        Tensor apply(EluConfig c, Tensor x) {
            return F.elu(x, c.alpha());
        }
    }

    public record SoftmaxConfig(int axis) {}

    public static final class Softmax extends Activation.Provider<SoftmaxConfig> {
        public Softmax() {
            super("softmax", SoftmaxConfig.class, new SoftmaxConfig(-1));
        }

        @Override
        Tensor apply(SoftmaxConfig c, Tensor x) {
            if (c.axis() >= x.rank() || c.axis() < -x.rank()) {
                throw new ShapeException("axis " + c.axis() + " does not exist in input " + Shapes.str(x.shape()));
            }
            return F.softmax(x, c.axis());
        }
    }
}

package dev.dendrite.basic.optim;

import dev.dendrite.optim.AbstractOptimizer;
import dev.dendrite.tensor.Kernels;
import dev.dendrite.tensor.Tensor;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Stochastic gradient descent with optional (Nesterov) momentum and L2 weight decay, exactly the
 * algorithm box of PyTorch's {@code torch.optim.SGD}
 * (https://pytorch.org/docs/stable/generated/torch.optim.SGD.html):
 *
 * <pre>
 *   g  = grad + weightDecay * p
 *   b  = g                                    on the first step
 *   b  = momentum * b + (1 - dampening) * g    afterwards
 *   g  = nesterov ? g + momentum * b : b       (when momentum != 0)
 *   p -= lr * g
 * </pre>
 *
 * <p>"First step" is per parameter, as in PyTorch (its buffer is still None): the momentum buffer does
 * not exist yet.
 */
public final class Sgd extends AbstractOptimizer {
    static final String MOMENTUM_BUFFER = "momentum_buffer";

    private final double momentum;
    private final double dampening;
    private final boolean nesterov;
    private final double weightDecay;

    public Sgd(Map<String, Tensor> parameters, SgdProvider.Config config) {
        super(parameters, config.lr());
        this.momentum = config.momentum();
        this.dampening = config.dampening();
        this.nesterov = config.nesterov();
        this.weightDecay = config.weightDecay();
    }

    @Override
    protected void update(String name, INDArray param, INDArray grad, long t) {
        // In place with single native calls: grad is only read (the Tensor owns it); nothing is allocated.
        INDArray g = grad;
        if (weightDecay != 0) {
            g = Kernels.axpy(scratch(name, 0, param), weightDecay, param, grad);
        }
        if (momentum != 0) {
            boolean first = !hasSlot(name, MOMENTUM_BUFFER);
            INDArray buf = slot(name, MOMENTUM_BUFFER, param);
            if (first) {
                Kernels.assign(buf, g);
            } else if (dampening == 0) {
                Kernels.axpy(buf, momentum, buf, g);
            } else {
                Kernels.scalar("mul", buf, buf, momentum);
                Kernels.axpy(buf, 1 - dampening, g, buf);
            }
            g = nesterov ? Kernels.axpy(scratch(name, 1, param), momentum, buf, g) : buf;
        }
        Kernels.axpy(param, -learningRate(), g, param);
    }
}

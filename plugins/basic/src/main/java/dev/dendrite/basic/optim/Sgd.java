package dev.dendrite.basic.optim;

import dev.dendrite.optim.AbstractOptimizer;
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
        // Never modify grad in place: it is the parameter's accumulated gradient, owned by the Tensor.
        INDArray g = weightDecay != 0 ? param.mul(weightDecay).addi(grad) : grad;
        if (momentum != 0) {
            boolean first = !hasSlot(name, MOMENTUM_BUFFER);
            INDArray buf = slot(name, MOMENTUM_BUFFER, param);
            if (first) {
                buf.assign(g);
            } else {
                // PyTorch's default dampening is 0: skip the scaled copy of g (an allocation per parameter).
                buf.muli(momentum).addi(dampening == 0 ? g : g.mul(1 - dampening));
            }
            g = nesterov ? buf.mul(momentum).addi(g) : buf;
        }
        param.subi(g.mul(learningRate()));
    }
}

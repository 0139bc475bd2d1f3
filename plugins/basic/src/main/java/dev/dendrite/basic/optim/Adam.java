package dev.dendrite.basic.optim;

import dev.dendrite.optim.AbstractOptimizer;
import dev.dendrite.tensor.Kernels;
import dev.dendrite.tensor.Tensor;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Adam and AdamW: one update rule ({@link AdamRule}), two ways to apply weight decay.
 * <ul>
 *   <li>Adam (PyTorch's {@code torch.optim.Adam}): decay as an L2 term added to the gradient,
 *       {@code g = grad + weightDecay * p}, so it is rescaled by the second-moment estimate.</li>
 *   <li>AdamW (Loshchilov &amp; Hutter 2019, arXiv:1711.05101; {@code torch.optim.AdamW}): decoupled, the
 *       parameter first shrinks by {@code p *= 1 - lr * weightDecay}, then takes the plain step on the
 *       raw gradient. As in PyTorch the decay is multiplied by the current lr, unlike the paper's
 *       separate schedule multiplier.</li>
 * </ul>
 */
public final class Adam extends AbstractOptimizer {
    private final double beta1;
    private final double beta2;
    private final double eps;
    private final double weightDecay;
    private final boolean amsgrad;
    private final boolean decoupled;

    public Adam(Map<String, Tensor> parameters, double lr, double beta1, double beta2, double eps,
            double weightDecay, boolean amsgrad, boolean decoupled) {
        super(parameters, lr);
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
        this.amsgrad = amsgrad;
        this.decoupled = decoupled;
    }

    @Override
    protected void update(String name, INDArray param, INDArray grad, long t) {
        double lr = learningRate();
        INDArray g = grad;
        if (weightDecay != 0 && decoupled) {
            Kernels.scalar("mul", param, param, 1 - lr * weightDecay);
        } else if (weightDecay != 0) {
            g = Kernels.axpy(scratch(name, 2, param), weightDecay, param, grad);
        }
        AdamRule.apply(param, g,
                slot(name, AdamRule.EXP_AVG, param),
                slot(name, AdamRule.EXP_AVG_SQ, param),
                amsgrad ? slot(name, AdamRule.MAX_EXP_AVG_SQ, param) : null,
                scratch(name, 0, param), scratch(name, 1, param), lr, beta1, beta2, eps, t);
    }
}

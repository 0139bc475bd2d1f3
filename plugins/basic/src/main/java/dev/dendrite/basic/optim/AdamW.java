package dev.dendrite.basic.optim;

import dev.dendrite.optim.AbstractOptimizer;
import dev.dendrite.tensor.Tensor;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Adam with decoupled weight decay (Loshchilov &amp; Hutter 2019, "Decoupled Weight Decay
 * Regularization", arXiv:1711.05101), as PyTorch's {@code torch.optim.AdamW}
 * (https://pytorch.org/docs/stable/generated/torch.optim.AdamW.html): the parameter first shrinks by
 * {@code p *= 1 - lr * weightDecay}, then takes the plain {@link AdamRule} step on the raw gradient, so
 * the decay is not rescaled by the second-moment estimate. Note PyTorch (and so this class) multiplies
 * the decay by the current lr, unlike the paper's separate schedule multiplier.
 */
public final class AdamW extends AbstractOptimizer {
    private final double beta1;
    private final double beta2;
    private final double eps;
    private final double weightDecay;
    private final boolean amsgrad;

    public AdamW(Map<String, Tensor> parameters, AdamWProvider.Config config) {
        super(parameters, config.lr());
        this.beta1 = config.beta1();
        this.beta2 = config.beta2();
        this.eps = config.eps();
        this.weightDecay = config.weightDecay();
        this.amsgrad = config.amsgrad();
    }

    @Override
    protected void update(String name, INDArray param, INDArray grad, long t) {
        double lr = learningRate();
        if (weightDecay != 0) {
            param.muli(1 - lr * weightDecay);
        }
        AdamRule.apply(param, grad,
                slot(name, AdamRule.EXP_AVG, param),
                slot(name, AdamRule.EXP_AVG_SQ, param),
                amsgrad ? slot(name, AdamRule.MAX_EXP_AVG_SQ, param) : null,
                lr, beta1, beta2, eps, t);
    }
}

package dev.dendrite.basic.optim;

import dev.dendrite.optim.AbstractOptimizer;
import dev.dendrite.tensor.Tensor;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Adam with weight decay as an L2 term added to the gradient ({@code g = grad + weightDecay * p}), as in
 * PyTorch's {@code torch.optim.Adam} (https://pytorch.org/docs/stable/generated/torch.optim.Adam.html);
 * the update itself is {@link AdamRule}. For decay decoupled from the adaptive scaling use
 * {@link AdamW}.
 *
 * <p>The bias-correction step {@code t} is the optimizer's global step; PyTorch counts per parameter. They
 * differ only for a parameter that misses the gradient on some steps.
 */
public final class Adam extends AbstractOptimizer {
    private final double beta1;
    private final double beta2;
    private final double eps;
    private final double weightDecay;
    private final boolean amsgrad;

    public Adam(Map<String, Tensor> parameters, AdamProvider.Config config) {
        super(parameters, config.lr());
        this.beta1 = config.beta1();
        this.beta2 = config.beta2();
        this.eps = config.eps();
        this.weightDecay = config.weightDecay();
        this.amsgrad = config.amsgrad();
    }

    @Override
    protected void update(String name, INDArray param, INDArray grad, long t) {
        INDArray g = weightDecay != 0 ? param.mul(weightDecay).addi(grad) : grad;
        AdamRule.apply(param, g,
                slot(name, AdamRule.EXP_AVG, param),
                slot(name, AdamRule.EXP_AVG_SQ, param),
                amsgrad ? slot(name, AdamRule.MAX_EXP_AVG_SQ, param) : null,
                learningRate(), beta1, beta2, eps, t);
    }
}

package dev.dendrite.basic.optim;

import dev.dendrite.optim.AbstractOptimizer;
import dev.dendrite.tensor.Tensor;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Adagrad (Duchi, Hazan &amp; Singer 2011, JMLR 12) exactly as PyTorch's {@code torch.optim.Adagrad}
 * (https://pytorch.org/docs/stable/generated/torch.optim.Adagrad.html):
 *
 * <pre>
 *   g    = grad + weightDecay * p
 *   clr  = lr / (1 + (t - 1) * lrDecay)
 *   sum  = sum + g^2                       (sum starts at initialAccumulatorValue)
 *   p   -= clr * g / (sqrt(sum) + eps)
 * </pre>
 *
 * <p>The slot {@value #STATE_SUM} is PyTorch's {@code state_sum}, so saved states correspond one to one.
 */
public final class Adagrad extends AbstractOptimizer {
    static final String STATE_SUM = "state_sum";

    private final double lrDecay;
    private final double weightDecay;
    private final double initialAccumulatorValue;
    private final double eps;

    public Adagrad(Map<String, Tensor> parameters, AdagradProvider.Config config) {
        super(parameters, config.lr());
        this.lrDecay = config.lrDecay();
        this.weightDecay = config.weightDecay();
        this.initialAccumulatorValue = config.initialAccumulatorValue();
        this.eps = config.eps();
    }

    @Override
    protected void update(String name, INDArray param, INDArray grad, long t) {
        INDArray g = weightDecay != 0 ? param.mul(weightDecay).addi(grad) : grad;
        double clr = learningRate() / (1 + (t - 1) * lrDecay);
        INDArray sum = slot(name, STATE_SUM, param, initialAccumulatorValue);
        sum.addi(g.mul(g));
        INDArray std = Transforms.sqrt(sum, true).addi(eps);
        param.subi(g.div(std).muli(clr));
    }
}

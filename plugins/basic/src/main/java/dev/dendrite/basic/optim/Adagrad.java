package dev.dendrite.basic.optim;

import dev.dendrite.optim.AbstractOptimizer;
import dev.dendrite.tensor.Kernels;
import dev.dendrite.tensor.Tensor;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

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
        INDArray g = weightDecay != 0 ? Kernels.axpy(scratch(name, 0, param), weightDecay, param, grad) : grad;
        double clr = learningRate() / (1 + (t - 1) * lrDecay);
        INDArray sum = slot(name, STATE_SUM, param, initialAccumulatorValue);
        INDArray work = scratch(name, 1, param);
        Kernels.exec("add", sum, sum, Kernels.exec("multiply", work, g, g));
        INDArray std = Kernels.transform("sqrt", work, sum);
        Kernels.scalar("add", std, std, eps);
        Kernels.axpy(param, -clr, Kernels.exec("divide", std, g, std), param);
    }
}

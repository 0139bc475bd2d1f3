package dev.dendrite.basic.optim;

import dev.dendrite.optim.AbstractOptimizer;
import dev.dendrite.tensor.Kernels;
import dev.dendrite.tensor.Tensor;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * RMSprop (Hinton, Coursera lecture 6e; centered variant from Graves 2013, arXiv:1308.0850) exactly as
 * PyTorch's {@code torch.optim.RMSprop} (https://pytorch.org/docs/stable/generated/torch.optim.RMSprop.html):
 *
 * <pre>
 *   g   = grad + weightDecay * p
 *   v   = alpha * v + (1 - alpha) * g^2
 *   gAv = alpha * gAv + (1 - alpha) * g           (centered only)
 *   d   = sqrt(v - gAv^2) + eps   if centered,   sqrt(v) + eps   otherwise
 *   b   = momentum * b + g / d;  p -= lr * b      if momentum > 0
 *   p  -= lr * g / d                               otherwise
 * </pre>
 *
 * All three buffers start at zero, as in PyTorch, so no first-step special case is needed.
 */
public final class RmsProp extends AbstractOptimizer {
    static final String SQUARE_AVG = "square_avg";
    static final String GRAD_AVG = "grad_avg";
    static final String MOMENTUM_BUFFER = "momentum_buffer";

    private final double alpha;
    private final double eps;
    private final double weightDecay;
    private final double momentum;
    private final boolean centered;

    public RmsProp(Map<String, Tensor> parameters, RmsPropProvider.Config config) {
        super(parameters, config.lr());
        this.alpha = config.alpha();
        this.eps = config.eps();
        this.weightDecay = config.weightDecay();
        this.momentum = config.momentum();
        this.centered = config.centered();
    }

    @Override
    protected void update(String name, INDArray param, INDArray grad, long t) {
        INDArray g = weightDecay != 0 ? Kernels.axpy(scratch(name, 0, param), weightDecay, param, grad) : grad;
        INDArray squareAvg = slot(name, SQUARE_AVG, param);
        INDArray work = scratch(name, 1, param);
        Kernels.scalar("mul", squareAvg, squareAvg, alpha);
        Kernels.axpy(squareAvg, 1 - alpha, Kernels.exec("multiply", work, g, g), squareAvg);
        INDArray avg;
        if (centered) {
            INDArray gradAvg = slot(name, GRAD_AVG, param);
            Kernels.scalar("mul", gradAvg, gradAvg, alpha);
            Kernels.axpy(gradAvg, 1 - alpha, g, gradAvg);
            avg = Kernels.exec("multiply", work, gradAvg, gradAvg);
            Kernels.exec("subtract", avg, squareAvg, avg);
            Kernels.transform("sqrt", avg, avg);
        } else {
            avg = Kernels.transform("sqrt", work, squareAvg);
        }
        Kernels.scalar("add", avg, avg, eps);
        INDArray step = Kernels.exec("divide", avg, g, avg);
        double lr = learningRate();
        if (momentum > 0) {
            INDArray buf = slot(name, MOMENTUM_BUFFER, param);
            Kernels.axpy(buf, momentum, buf, step);
            Kernels.axpy(param, -lr, buf, param);
        } else {
            Kernels.axpy(param, -lr, step, param);
        }
    }
}

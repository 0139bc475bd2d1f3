package dev.dendrite.basic.optim;

import dev.dendrite.tensor.Kernels;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The moment update and bias-corrected step shared by Adam and AdamW ({@link Adam}), written in the
 * order of PyTorch's implementation ({@code torch/optim/adam.py}, {@code _single_tensor_adam}) so the
 * two agree to rounding:
 *
 * <pre>
 *   m  = beta1 * m + (1 - beta1) * g
 *   v  = beta2 * v + (1 - beta2) * g^2
 *   vMax = max(vMax, v)                                 (AMSGrad only; raw, not bias-corrected, v)
 *   p -= lr / (1 - beta1^t) * m / (sqrt(v or vMax) / sqrt(1 - beta2^t) + eps)
 * </pre>
 *
 * Kingma &amp; Ba 2015 (arXiv:1412.6980), Algorithm 1 with the epsilon placement PyTorch uses;
 * AMSGrad from Reddi et al. 2018 ("On the Convergence of Adam and Beyond").
 */
final class AdamRule {
    static final String EXP_AVG = "exp_avg";
    static final String EXP_AVG_SQ = "exp_avg_sq";
    static final String MAX_EXP_AVG_SQ = "max_exp_avg_sq";

    private AdamRule() {}

    /** PyTorch's checks for both Adam variants, plus a strictly positive eps (it guards a division). */
    static void validate(String owner, double lr, double beta1, double beta2, double eps, double weightDecay) {
        Check.nonNegative(owner, "lr", lr);
        Check.unitInterval(owner, "beta1", beta1);
        Check.unitInterval(owner, "beta2", beta2);
        Check.positive(owner, "eps", eps);
        Check.nonNegative(owner, "weightDecay", weightDecay);
    }

    /**
     * Updates the moments {@code m}, {@code v} (and {@code vMax} when not null) and then {@code param},
     * all in place with single native calls; {@code g} is only read, {@code work1} and {@code work2} are
     * scratch arrays of the parameter's shape.
     */
    static void apply(INDArray param, INDArray g, INDArray m, INDArray v, INDArray vMax, INDArray work1,
            INDArray work2, double lr, double beta1, double beta2, double eps, long t) {
        Kernels.scalar("mul", m, m, beta1);
        Kernels.axpy(m, 1 - beta1, g, m);
        INDArray g2 = Kernels.exec("multiply", work1, g, g);
        Kernels.scalar("mul", v, v, beta2);
        Kernels.axpy(v, 1 - beta2, g2, v);
        INDArray second = v;
        if (vMax != null) {
            Kernels.exec("maximum", vMax, vMax, v);
            second = vMax;
        }
        double biasCorrection1 = 1 - Math.pow(beta1, t);
        double biasCorrection2Sqrt = Math.sqrt(1 - Math.pow(beta2, t));
        INDArray denom = Kernels.transform("sqrt", work1, second);
        Kernels.scalar("div", denom, denom, biasCorrection2Sqrt);
        Kernels.scalar("add", denom, denom, eps);
        INDArray step = Kernels.exec("divide", work2, m, denom);
        Kernels.axpy(param, -lr / biasCorrection1, step, param);
    }
}

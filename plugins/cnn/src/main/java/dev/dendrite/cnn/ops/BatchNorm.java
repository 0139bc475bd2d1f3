package dev.dendrite.cnn.ops;

import dev.dendrite.onnx.OnnxBuilder;
import dev.dendrite.tensor.Function;
import dev.dendrite.tensor.Kernels;
import dev.dendrite.tensor.ShapeException;
import dev.dendrite.tensor.Shapes;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Batch normalisation over axis 1 of [N, C, ...] (Ioffe and Szegedy 2015): y = (x − μ)/√(σ² + ε)·γ + β.
 * Inputs: x, running mean [C], running variance [C], and γ, β [C] when affine.
 *
 * <p>Forward is libnd4j's {@code batchnorm}. Training mode normalises with the batch's statistics (biased
 * variance), moves the running statistics (inputs 1 and 2) towards them in place, and backward runs through
 * them: dx = (dx̂ − mean(dx̂) − x̂·mean(dx̂·x̂))/√(σ² + ε) with dx̂ = g·γ. libnd4j's
 * {@code batchnorm_bp} computes this too, but in float64 it is off by ~1e-9 (absolute), which fails a 1e-6
 * finite-difference check on small gradients; so it is written out here with native array ops. Evaluation
 * mode normalises with the running statistics, constants, so the map is affine: dx = g·γ/√(σ² + ε). In both,
 * dγ = Σ g·x̂ and dβ = Σ g. Export writes the inference form (ONNX BatchNormalization with the running
 * statistics), as dropout exports as the identity.
 */
final class BatchNorm extends Function {
    private final boolean training;
    private final double eps;
    private final double momentum;

    private boolean affine;
    private long channels;
    private DataType type;
    private INDArray x;
    private INDArray mean;
    private INDArray var;
    private INDArray gamma;
    private INDArray beta;
    private long[] iArgs;

    /** @param momentum PyTorch's: running = (1 − m)·running + m·batch, applied to inputs 1 and 2 when training */
    BatchNorm(boolean training, double eps, double momentum) {
        if (!(eps > 0) || !(momentum >= 0 && momentum <= 1)) {
            throw new ShapeException("batch_norm: eps must be > 0 and momentum in [0, 1], got eps " + eps + ", momentum "
                    + momentum);
        }
        this.training = training;
        this.eps = eps;
        this.momentum = momentum;
    }

    @Override
    public String name() {
        return "batch_norm";
    }

    @Override
    protected INDArray[] forward(INDArray[] in) {
        String op = name();
        if (in.length != 3 && in.length != 5) {
            throw new ShapeException(op + ": expected x, running mean, running variance and optionally weight and bias, got "
                    + in.length + " inputs");
        }
        type = Shapes.sameFloating(op, in);
        x = in[0];
        if (x.rank() < 2) {
            throw new ShapeException(op + ": expected an input [N, C, ...] of rank >= 2, got shape " + Shapes.str(x.shape()));
        }
        channels = x.size(1);
        String[] names = {"input", "running mean", "running variance", "weight", "bias"};
        for (int i = 1; i < in.length; i++) {
            if (in[i].rank() != 1 || in[i].size(0) != channels) {
                throw new ShapeException(op + ": expected " + names[i] + " [" + channels + "] for input "
                        + Shapes.str(x.shape()) + ", got shape " + Shapes.str(in[i].shape()));
            }
        }
        affine = in.length == 5;
        gamma = affine ? in[3] : null;
        beta = affine ? in[4] : null;
        if (x.length() == 0) {
            if (training) {
                throw new ShapeException(op + ": expected more than 1 value per channel when training, got input "
                        + Shapes.str(x.shape()));
            }
            return new INDArray[] {Kernels.full(type, 0, x.shape())};
        }
        if (training) {
            long count = x.length() / channels;
            if (count < 2) {
                throw new ShapeException(op + ": expected more than 1 value per channel when training, got input "
                        + Shapes.str(x.shape()));
            }
            mean = Native.reducePerChannel("reduce_mean", x);
            var = Native.reducePerChannel("reduce_variance", x);
            // The running statistics (inputs 1 and 2, the layer's buffers) move in place, as PyTorch's do:
            // running = (1 − m)·running + m·batch, with the variance unbiased. Here, so a compiled step replays it.
            Kernels.scalar("mul", in[1], in[1], 1 - momentum);
            Kernels.axpy(in[1], momentum, mean, in[1]);
            Kernels.scalar("mul", in[2], in[2], 1 - momentum);
            Kernels.axpy(in[2], momentum * count / (count - 1.0), var, in[2]);
        } else {
            mean = in[1];
            var = in[2];
        }
        iArgs = new long[] {affine ? 1 : 0, affine ? 1 : 0, 1};
        INDArray y = Kernels.empty(type, x.shape());
        Kernels.exec("batchnorm", affine ? new INDArray[] {x, mean, var, gamma, beta} : new INDArray[] {x, mean, var},
                new INDArray[] {y}, iArgs, new double[] {eps}, null);
        return new INDArray[] {y};
    }


    @Override
    protected INDArray[] backward(INDArray[] gradOut) {
        INDArray g = gradOut[0];
        INDArray[] grads = new INDArray[affine ? 5 : 3];
        boolean needX = needsGrad(0);
        boolean needAffine = affine && (needsGrad(3) || needsGrad(4));
        if (x.length() == 0 || !(needX || needAffine)) {
            if (x.length() == 0) {
                grads[0] = needX ? Kernels.full(g.dataType(), 0, x.shape()) : null;
                if (affine) {
                    grads[3] = needsGrad(3) ? Kernels.full(g.dataType(), 0, channels) : null;
                    grads[4] = needsGrad(4) ? Kernels.full(g.dataType(), 0, channels) : null;
                }
            }
            return grads;
        }
        int rank = x.rank();
        INDArray shifted = Kernels.scalar("add", Kernels.empty(var.dataType(), var.shape()), var, eps);
        INDArray rstd = Native.perChannel(Native.binary("Pow", shifted, Nd4j.scalar(var.dataType(), -0.5)), rank);
        INDArray xhat = null;
        if (training || (affine && needsGrad(3))) {
            xhat = Native.binary("multiply", Native.binary("subtract", x, Native.perChannel(mean, rank)), rstd);
        }
        if (needX) {
            INDArray dxhat = affine ? Native.binary("multiply", g, Native.perChannel(gamma, rank)) : g;
            if (training) {
                // Through the batch statistics: dx = (dx̂ − mean(dx̂) − x̂·mean(dx̂·x̂))/√(σ² + ε).
                INDArray meanG = Native.perChannel(Native.reducePerChannel("reduce_mean", dxhat), rank);
                INDArray meanGx = Native.perChannel(Native.reducePerChannel("reduce_mean",
                        Native.binary("multiply", dxhat, xhat)), rank);
                INDArray centred = Native.binary("subtract", dxhat, meanG);
                Kernels.exec("subtract", centred, centred, Native.binary("multiply", xhat, meanGx));
                grads[0] = Native.binary("multiply", centred, rstd);
            } else {
                grads[0] = Native.binary("multiply", dxhat, rstd);
            }
        }
        if (affine && needsGrad(3)) {
            grads[3] = Native.sumPerChannel(Native.binary("multiply", xhat, g));
        }
        if (affine && needsGrad(4)) {
            grads[4] = Native.sumPerChannel(g);
        }
        return grads;
    }

    @Override
    public void toOnnx(OnnxBuilder onnx, String[] inputs, String[] outputs) {
        String scale = affine ? inputs[3] : onnx.constant(Nd4j.ones(type, channels));
        String bias = affine ? inputs[4] : onnx.constant(Nd4j.zeros(type, channels));
        // ONNX's momentum weighs the running value: running·m + batch·(1 − m), the complement of PyTorch's.
        onnx.node("BatchNormalization", new String[] {inputs[0], scale, bias, inputs[1], inputs[2]}, outputs,
                Map.of("epsilon", eps, "momentum", 1.0 - momentum));
    }
}

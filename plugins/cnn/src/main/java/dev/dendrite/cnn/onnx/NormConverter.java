package dev.dendrite.cnn.onnx;

import dev.dendrite.cnn.ops.CnnF;
import dev.dendrite.onnx.OnnxConverter;
import dev.dendrite.onnx.OnnxOp;
import dev.dendrite.ops.F;
import dev.dendrite.tensor.Tensor;
import java.util.Arrays;
import java.util.Set;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * ONNX BatchNormalization and InstanceNormalization.
 *
 * <p>BatchNormalization runs on {@link CnnF#batchNorm}. Its inputs 3 and 4 (running mean and variance) are
 * state: the importer keeps them as buffers. It normalises with the batch's statistics (biased variance) when
 * the node says {@code training_mode = 1} (opset 14+) or {@code is_test = 0} (opset 6 and older), and when the
 * model itself is in training mode; then the running statistics become
 * running·momentum + batch·(1 − momentum), returned as the optional outputs and, in training mode, written
 * back into the running-statistics buffers, as PyTorch's {@code BatchNorm} updates its own. Otherwise it
 * normalises with the running statistics (inference): natively, or composed of elementwise primitives when
 * the caller differentiates with respect to the statistics as well (they require a gradient).
 *
 * <p>InstanceNormalization is composed: (x − mean)/√(var + ε)·scale + B over each sample's and channel's
 * spatial dims (biased variance).
 */
public final class NormConverter implements OnnxConverter {
    @Override
    public Set<String> opTypes() {
        return Set.of("BatchNormalization", "InstanceNormalization");
    }

    @Override
    public boolean isState(String opType, int index) {
        return opType.equals("BatchNormalization") && (index == 3 || index == 4);
    }

    @Override
    public Tensor[] convert(OnnxOp op, Tensor[] inputs) {
        return op.opType().equals("BatchNormalization") ? batchNorm(op, inputs)
                : new Tensor[] {instanceNorm(op, inputs)};
    }

    private static Tensor[] batchNorm(OnnxOp op, Tensor[] inputs) {
        Tensor x = op.input(inputs, 0, "X");
        Tensor scale = op.input(inputs, 1, "scale");
        Tensor bias = op.input(inputs, 2, "B");
        Tensor mean = op.input(inputs, 3, "input_mean");
        Tensor var = op.input(inputs, 4, "input_var");
        DataType type = x.dtype();
        if (!type.isFPType()) {
            throw op.error("X must be floating, got " + type);
        }
        if (x.rank() < 2 || x.size(1) == 0) {
            throw op.error("expected input X [N, C, ...] of rank >= 2 with C > 0, got shape "
                    + Arrays.toString(x.shape()));
        }
        long c = x.size(1);
        String[] names = {"X", "scale", "B", "input_mean", "input_var"};
        Tensor[] vectors = {null, scale, bias, mean, var};
        for (int i = 1; i < 5; i++) {
            Tensor v = vectors[i];
            if (v.rank() != 1 || v.size(0) != c || !v.dtype().isFPType()) {
                throw op.error("expected " + names[i] + " to be a floating [" + c + "] vector for X "
                        + Arrays.toString(x.shape()) + ", got " + v.dtype() + Arrays.toString(v.shape()));
            }
        }
        if (op.attr("spatial", 1L) != 1 && x.rank() > 2) {
            throw op.error("spatial = 0 (statistics per feature and position) is not supported");
        }
        double eps = op.attr("epsilon", 1e-5);
        double momentum = op.attr("momentum", 0.9);
        if (!(eps > 0) || !(momentum >= 0 && momentum <= 1)) {
            throw op.error("epsilon must be > 0 and momentum in [0, 1], got epsilon " + eps + ", momentum " + momentum);
        }
        long trainingMode = op.opset() >= 14 ? op.attr("training_mode", 0L) : 0L;
        boolean isTestZero = op.opset() < 7 && op.attr("is_test", 0L) == 0;
        boolean batchStats = trainingMode == 1 || isTestZero || op.training();
        Tensor s = scale.dtype() == type ? scale : F.cast(scale, type);
        Tensor b = bias.dtype() == type ? bias : F.cast(bias, type);
        INDArray runMean = mean.data().castTo(type);
        INDArray runVar = var.data().castTo(type);
        if (!batchStats) {
            if (mean.requiresGrad() || var.requiresGrad()) {
                // Differentiated with respect to the statistics too (a caller bound them to leaves): composed.
                Tensor m = mean.dtype() == type ? mean : F.cast(mean, type);
                Tensor v = var.dtype() == type ? var : F.cast(var, type);
                Tensor factor = F.div(s, F.sqrt(F.add(v, eps)));
                int r = x.rank();
                return new Tensor[] {F.add(F.mul(F.sub(x, Spatial.perChannel(m, r)), Spatial.perChannel(factor, r)),
                        Spatial.perChannel(b, r))};
            }
            return new Tensor[] {CnnF.batchNorm(x, runMean, runVar, s, b, false, 1 - momentum, eps)};
        }
        if (x.data().length() / c < 2) {
            throw op.error("batch statistics need more than 1 value per channel, got X " + Arrays.toString(x.shape()));
        }
        // Copies: CnnF's own (PyTorch-style, unbiased) running update must not touch the inputs.
        Tensor y = CnnF.batchNorm(x, runMean.dup(), runVar.dup(), s, b, true, 1 - momentum, eps);
        int[] axes = new int[x.rank() - 1];
        for (int d = 0, j = 0; d < x.rank(); d++) {
            if (d != 1) {
                axes[j++] = d;
            }
        }
        INDArray batchMean = x.data().mean(axes);
        INDArray batchVar = x.data().var(false, axes);
        INDArray newMean = runMean.mul(momentum).addi(batchMean.mul(1 - momentum)).castTo(mean.dtype());
        INDArray newVar = runVar.mul(momentum).addi(batchVar.mul(1 - momentum)).castTo(var.dtype());
        if (op.training() && !mean.requiresGrad() && !var.requiresGrad()) {
            // The running statistics are buffers: update them in place, as a training BatchNorm layer does.
            mean.data().assign(newMean);
            var.data().assign(newVar);
        }
        // Opset 14+: Y, running_mean, running_var; older ones add saved_mean and saved_var (the batch's).
        Tensor[] all = op.opset() >= 14 ? new Tensor[] {y, Tensor.of(newMean), Tensor.of(newVar)}
                : new Tensor[] {y, Tensor.of(newMean), Tensor.of(newVar), Tensor.of(batchMean), Tensor.of(batchVar)};
        return Arrays.copyOf(all, Math.max(1, Math.min(all.length, op.outputCount())));
    }

    private static Tensor instanceNorm(OnnxOp op, Tensor[] inputs) {
        Tensor x = op.input(inputs, 0, "input");
        Tensor scale = op.input(inputs, 1, "scale");
        Tensor bias = op.input(inputs, 2, "B");
        DataType type = x.dtype();
        if (!type.isFPType()) {
            throw op.error("input must be floating, got " + type);
        }
        if (x.rank() < 3) {
            throw op.error("expected input [N, C, D1, ...] with at least 1 spatial dim, got shape "
                    + Arrays.toString(x.shape()));
        }
        long c = x.size(1);
        for (Tensor v : new Tensor[] {scale, bias}) {
            if (v.rank() != 1 || v.size(0) != c || v.dtype() != type) {
                throw op.error("expected scale and B to be " + type + " [" + c + "] vectors for input "
                        + Arrays.toString(x.shape()) + ", got " + v.dtype() + Arrays.toString(v.shape()));
            }
        }
        for (int d = 2; d < x.rank(); d++) {
            if (x.size(d) == 0) {
                throw op.error("input " + Arrays.toString(x.shape()) + " has an empty spatial dim");
            }
        }
        double eps = op.attr("epsilon", 1e-5);
        if (!(eps >= 0)) {
            throw op.error("epsilon must be >= 0, got " + eps);
        }
        int[] axes = new int[x.rank() - 2];
        for (int i = 0; i < axes.length; i++) {
            axes[i] = i + 2;
        }
        Tensor centred = F.sub(x, F.mean(x, true, axes));
        Tensor var = F.mean(F.mul(centred, centred), true, axes);
        Tensor normed = F.div(centred, F.sqrt(F.add(var, eps)));
        int r = x.rank();
        return F.add(F.mul(normed, Spatial.perChannel(scale, r)), Spatial.perChannel(bias, r));
    }
}

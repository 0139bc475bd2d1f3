package dev.dendrite.onnxbridge;

import dev.dendrite.ops.F;
import dev.dendrite.tensor.DendriteException;
import dev.dendrite.tensor.Tensor;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One forward and backward of an imported model under a fixed loss: what {@code dendrite onnx-grad} writes
 * and what the PyTorch fixtures are checked against. The losses are defined exactly as the command-line
 * contract says, so any other framework can reproduce them.
 */
public final class GradientRun {
    /** The losses of the {@code onnx-grad} contract, applied to the model's first output. */
    public enum LossKind {
        /** Mean of the squared error over all elements. */
        MSE,
        /** Mean binary cross-entropy of a probability output (log clamped at -100, as PyTorch does). */
        BCE,
        /** Mean over the batch of -log_softmax(logits, axis 1)[target], int64 targets. */
        CROSS_ENTROPY;

        public static LossKind parse(String name) {
            try {
                return valueOf(name.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new DendriteException("unknown loss '" + name + "'; known losses: mse, bce, cross_entropy");
            }
        }
    }

    /**
     * The loss value, the gradient of every float initializer by ONNX name (state such as running statistics
     * included: other frameworks treat them as plain initializers) and of the first input.
     */
    public record Result(double loss, Map<String, INDArray> weightGrads, INDArray inputGrad) {}

    private GradientRun() {}

    public static Result run(ImportedModel model, LossKind loss, INDArray target, INDArray... inputs) {
        model.train(false);
        Tensor[] xs = new Tensor[inputs.length];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = i == 0 && inputs[i].dataType().isFPType() ? Tensor.leaf(inputs[i]) : Tensor.of(inputs[i]);
        }
        model.parameters().values().forEach(Tensor::zeroGrad);
        Map<String, Tensor> stateLeaves = new LinkedHashMap<>();
        for (String name : model.stateNames()) {
            stateLeaves.put(name, Tensor.leaf(model.state(name)));
        }
        Tensor y = model.run(stateLeaves, xs)[0];
        Tensor l = loss(loss, y, target);
        l.backward();
        Map<String, INDArray> grads = new LinkedHashMap<>();
        for (String name : model.weightNames()) {
            grads.put(name, gradOrZeros(model.weight(name)));
        }
        stateLeaves.forEach((name, t) -> grads.put(name, gradOrZeros(t)));
        INDArray gx = xs.length > 0 && xs[0].requiresGrad()
                ? gradOrZeros(xs[0]) : null;
        return new Result(l.item(), grads, gx);
    }

    private static INDArray gradOrZeros(Tensor t) {
        return t.grad() == null ? t.data().like().assign(0) : t.grad();
    }

    static Tensor loss(LossKind kind, Tensor y, INDArray target) {
        return switch (kind) {
            case MSE -> {
                requireSameShape(y, target);
                Tensor d = F.sub(y, Tensor.of(target.castTo(y.dtype())));
                yield F.mean(F.mul(d, d), false);
            }
            case BCE -> {
                requireSameShape(y, target);
                Tensor t = Tensor.of(target.castTo(y.dtype()));
                Tensor logP = F.clip(F.log(y), -100, Double.MAX_VALUE);
                Tensor log1mP = F.clip(F.log(F.add(F.neg(y), 1)), -100, Double.MAX_VALUE);
                Tensor perElement = F.add(F.mul(t, logP), F.mul(F.add(F.neg(t), 1), log1mP));
                yield F.neg(F.mean(perElement, false));
            }
            case CROSS_ENTROPY -> {
                if (y.rank() != 2 || target.rank() != 1 || target.size(0) != y.size(0)) {
                    throw new DendriteException("cross_entropy needs logits [N, C] and targets [N], got "
                            + Arrays.toString(y.shape()) + " and " + Arrays.toString(target.shape()));
                }
                if (target.dataType().isFPType()) {
                    throw new DendriteException("cross_entropy targets must be int64 class indices, got "
                            + target.dataType());
                }
                long[] t = target.toLongVector();
                for (long c : t) {
                    if (c < 0 || c >= y.size(1)) {
                        throw new DendriteException("cross_entropy target " + c + " is outside [0, " + y.size(1) + ")");
                    }
                }
                // Pick log p[i, t_i] with one gather at i·C + t_i: no one-hot product (−∞·0 would be NaN).
                INDArray flatIndex = Nd4j.arange(0, t.length).castTo(DataType.INT64).muli(y.size(1))
                        .addi(target.castTo(DataType.INT64));
                Tensor picked = F.sum(F.gather(F.reshape(F.logSoftmax(y, 1), -1), Tensor.of(flatIndex), 0), false);
                yield F.mul(picked, -1.0 / y.size(0));
            }
        };
    }

    private static void requireSameShape(Tensor y, INDArray target) {
        if (!Arrays.equals(y.shape(), target.shape())) {
            throw new DendriteException("the target has shape " + Arrays.toString(target.shape())
                    + ", the model's first output " + Arrays.toString(y.shape()));
        }
        if (!target.dataType().isFPType()) {
            throw new DendriteException("the target must be a float tensor, got " + target.dataType());
        }
    }
}

package dev.dendrite.onnxbridge.ops.math;

import dev.dendrite.onnx.OnnxConverter;
import dev.dendrite.onnx.OnnxOp;
import dev.dendrite.ops.F;
import dev.dendrite.tensor.Tensor;
import java.util.Set;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.random.impl.BernoulliDistribution;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Dropout. It drops only when the model trains or the {@code training_mode} input (opset 12+) is true;
 * otherwise it is the identity with an all-true mask. Ratio is an attribute before opset 12 and an
 * optional input from it on (default 0.5). Training: y = x · mask / (1 − ratio), a differentiable product
 * with a Bernoulli mask drawn from the {@code seed} attribute (the same mask every run) or from the model's
 * random stream (a fresh mask per run, repeatable under the run's seed). The mask is bool from opset 10, the input's dtype before.
 */
public final class DropoutConverter implements OnnxConverter {
    @Override
    public Set<String> opTypes() {
        return Set.of("Dropout");
    }

    @Override
    public Tensor[] convert(OnnxOp op, Tensor[] inputs) {
        Tensor x = op.input(inputs, 0, "data");
        if (!MathSupport.floating(x)) {
            throw MathSupport.unsupportedType(op, x);
        }
        double ratio;
        boolean training = op.training();
        if (op.opset() >= 12) {
            ratio = OnnxOp.present(inputs, 1) ? MathSupport.scalar(op, inputs[1], "ratio") : 0.5;
            if (OnnxOp.present(inputs, 2)) {
                if (inputs[2].dtype() != DataType.BOOL) {
                    throw op.error("training_mode must be bool, got " + MathSupport.shapes(inputs[2]));
                }
                training |= MathSupport.bool(op, inputs[2], "training_mode");
            }
        } else {
            ratio = op.attr("ratio", 0.5);
        }
        if (!(ratio >= 0 && ratio < 1)) {
            throw op.error("ratio must be in [0, 1), got " + ratio);
        }
        DataType maskType = op.opset() >= 10 ? DataType.BOOL : x.dtype();
        Tensor[] out = new Tensor[Math.max(1, op.outputCount())];
        if (!training || ratio == 0) {
            out[0] = x;
            if (out.length > 1) {
                out[1] = Tensor.of(Nd4j.ones(maskType, x.shape()));
            }
            return out;
        }
        long seed = op.has("seed") ? op.attr("seed", 0L) : op.seeds().getAsLong();
        INDArray keep = Nd4j.createUninitialized(x.dtype(), x.shape());
        if (!keep.isEmpty()) {
            try (Random rng = Nd4j.getRandomFactory().getNewRandomInstance(seed)) {
                Nd4j.getExecutioner().exec(new BernoulliDistribution(keep, 1.0 - ratio), rng);
            } catch (Exception e) {
                throw op.error("could not draw the dropout mask: " + e);
            }
        }
        out[0] = F.mul(x, Tensor.of(keep.mul(1.0 / (1.0 - ratio))));
        if (out.length > 1) {
            out[1] = Tensor.of(keep.castTo(maskType));
        }
        return out;
    }
}

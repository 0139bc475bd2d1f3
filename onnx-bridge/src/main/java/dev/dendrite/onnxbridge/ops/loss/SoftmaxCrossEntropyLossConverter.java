package dev.dendrite.onnxbridge.ops.loss;

import dev.dendrite.onnx.OnnxConverter;
import dev.dendrite.onnx.OnnxOp;
import dev.dendrite.ops.F;
import dev.dendrite.tensor.Tensor;
import java.util.Arrays;
import java.util.Set;

/**
 * ONNX SoftmaxCrossEntropyLoss: the negative log-likelihood of logSoftmax(scores) over axis 1, with the
 * optional second output log_prob.
 */
public final class SoftmaxCrossEntropyLossConverter implements OnnxConverter {
    @Override
    public Set<String> opTypes() {
        return Set.of("SoftmaxCrossEntropyLoss");
    }

    @Override
    public Tensor[] convert(OnnxOp op, Tensor[] inputs) {
        Tensor scores = op.input(inputs, 0, "scores");
        if (!scores.dtype().isFPType() || scores.rank() < 2) {
            throw op.error("scores must be floating-point of rank >= 2 [N, C, d1..dk], got " + scores.dtype()
                    + Arrays.toString(scores.shape()));
        }
        if (op.outputCount() > 2) {
            throw op.error("declares " + op.outputCount() + " outputs, at most 2 allowed");
        }
        Tensor logProb = F.logSoftmax(scores, 1);
        Tensor weight = OnnxOp.present(inputs, 2) ? inputs[2] : null;
        Tensor loss = ClassLoss.nll(op, logProb, op.input(inputs, 1, "labels"), weight);
        return op.outputCount() == 2 ? new Tensor[] {loss, logProb} : new Tensor[] {loss};
    }
}

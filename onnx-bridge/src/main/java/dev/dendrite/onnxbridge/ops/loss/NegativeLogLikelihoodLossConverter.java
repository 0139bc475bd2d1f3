package dev.dendrite.onnxbridge.ops.loss;

import dev.dendrite.onnx.OnnxConverter;
import dev.dendrite.onnx.OnnxOp;
import dev.dendrite.tensor.Tensor;
import java.util.Set;

/** ONNX NegativeLogLikelihoodLoss (input = log-probabilities [N, C, d1..dk], target, optional weight). */
public final class NegativeLogLikelihoodLossConverter implements OnnxConverter {
    @Override
    public Set<String> opTypes() {
        return Set.of("NegativeLogLikelihoodLoss");
    }

    @Override
    public Tensor[] convert(OnnxOp op, Tensor[] inputs) {
        Tensor weight = OnnxOp.present(inputs, 2) ? inputs[2] : null;
        return new Tensor[] {ClassLoss.nll(op, op.input(inputs, 0, "input"), op.input(inputs, 1, "target"), weight)};
    }
}

package dev.dendrite.onnxbridge.ops.rnn;

import dev.dendrite.onnx.OnnxConverter;
import dev.dendrite.onnx.OnnxOp;
import dev.dendrite.ops.F;
import dev.dendrite.tensor.Tensor;
import java.util.Set;

/** ONNX RNN: H_t = f(X_t·Wᵀ + H_{t-1}·Rᵀ + Wb + Rb), f = Tanh by default. */
public final class RnnConverter implements OnnxConverter {
    @Override
    public Set<String> opTypes() {
        return Set.of("RNN");
    }

    @Override
    public Tensor[] convert(OnnxOp op, Tensor[] inputs) {
        return Recurrence.run(op, inputs, 1, 1, new String[] {"Tanh"}, new Recurrence.Cell() {
            @Override
            public Tensor inputBias(Tensor wb, Tensor rb) {
                return Recurrence.sum(wb, rb);
            }

            @Override
            public Recurrence.Step start(Recurrence.Direction d) {
                return (xw, s) -> new Tensor[] {d.act(0, F.gemm(s[0], d.r(), xw, 1.0, 1.0, false, true))};
            }
        });
    }
}

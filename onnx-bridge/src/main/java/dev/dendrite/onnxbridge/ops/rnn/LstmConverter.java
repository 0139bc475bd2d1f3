package dev.dendrite.onnxbridge.ops.rnn;

import dev.dendrite.onnx.OnnxConverter;
import dev.dendrite.onnx.OnnxOp;
import dev.dendrite.ops.F;
import dev.dendrite.tensor.Tensor;
import java.util.Set;

/**
 * ONNX LSTM, gates i, o, f, c (f = Sigmoid, g = h = Tanh by default), with optional peepholes P [i, o, f]
 * and input_forget (f = 1 − i, as ONNX Runtime couples them): C' = f ⊙ C + i ⊙ g(c), H' = o ⊙ h(C').
 * The clip bounds every gate's pre-activation, not C' before h.
 */
public final class LstmConverter implements OnnxConverter {
    @Override
    public Set<String> opTypes() {
        return Set.of("LSTM");
    }

    @Override
    public Tensor[] convert(OnnxOp op, Tensor[] inputs) {
        boolean coupled = op.flag("input_forget", false);
        return Recurrence.run(op, inputs, 4, 2, new String[] {"Sigmoid", "Tanh", "Tanh"}, new Recurrence.Cell() {
            @Override
            public Tensor inputBias(Tensor wb, Tensor rb) {
                return Recurrence.sum(wb, rb);
            }

            @Override
            public Recurrence.Step start(Recurrence.Direction d) {
                return step(d, coupled);
            }
        });
    }

    private static Recurrence.Step step(Recurrence.Direction d, boolean coupled) {
        long h = d.hidden();
        Tensor[] p = d.p() == null ? null : F.split(d.p(), 0, h, h, h);
        return (xw, s) -> {
            Tensor c = s[1];
            Tensor[] g = F.split(F.gemm(s[0], d.r(), xw, 1.0, 1.0, false, true), 1, h, h, h, h);
            Tensor in = p == null ? g[0] : F.add(g[0], F.mul(p[0], c));
            Tensor i = d.act(0, in);
            Tensor f = coupled ? F.sub(F.scalar(i, 1), i) : d.act(0, p == null ? g[2] : F.add(g[2], F.mul(p[2], c)));
            Tensor cell = F.add(F.mul(f, c), F.mul(i, d.act(1, g[3])));
            Tensor o = d.act(0, p == null ? g[1] : F.add(g[1], F.mul(p[1], cell)));
            return new Tensor[] {F.mul(o, d.acts()[2].apply(cell)), cell};
        };
    }
}

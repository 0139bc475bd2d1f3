package dev.dendrite.onnxbridge.ops.rnn;

import dev.dendrite.onnx.OnnxConverter;
import dev.dendrite.onnx.OnnxOp;
import dev.dendrite.ops.F;
import dev.dendrite.tensor.Tensor;
import java.util.Set;

/**
 * ONNX GRU, gates z, r, h (f = Sigmoid, g = Tanh by default):
 * z, r = f(X·W_zrᵀ + H·R_zrᵀ + b); h̃ = g(X·W_hᵀ + (r ⊙ H)·R_hᵀ + Rb_h + Wb_h), or with
 * linear_before_reset (what PyTorch exports) g(X·W_hᵀ + r ⊙ (H·R_hᵀ + Rb_h) + Wb_h); H' = (1 − z) ⊙ h̃ + z ⊙ H.
 */
public final class GruConverter implements OnnxConverter {
    @Override
    public Set<String> opTypes() {
        return Set.of("GRU");
    }

    @Override
    public Tensor[] convert(OnnxOp op, Tensor[] inputs) {
        boolean linearBeforeReset = op.flag("linear_before_reset", false);
        return Recurrence.run(op, inputs, 3, 1, new String[] {"Sigmoid", "Tanh"}, new Recurrence.Cell() {
            @Override
            public Tensor inputBias(Tensor wb, Tensor rb) {
                return linearBeforeReset ? wb : Recurrence.sum(wb, rb);
            }

            @Override
            public Recurrence.Step start(Recurrence.Direction d) {
                return linearBeforeReset ? linearFirst(d) : resetFirst(d);
            }
        });
    }

    private static Recurrence.Step linearFirst(Recurrence.Direction d) {
        long h = d.hidden();
        return (xw, s) -> {
            Tensor rec = F.gemm(s[0], d.r(), d.rb(), 1.0, 1.0, false, true);
            Tensor[] xp = F.split(xw, 1, 2 * h, h);
            Tensor[] rp = F.split(rec, 1, 2 * h, h);
            Tensor[] zr = F.split(d.act(0, F.add(xp[0], rp[0])), 1, h, h);
            Tensor candidate = d.act(1, F.add(xp[1], F.mul(zr[1], rp[1])));
            return new Tensor[] {blend(zr[0], candidate, s[0])};
        };
    }

    private static Recurrence.Step resetFirst(Recurrence.Direction d) {
        long h = d.hidden();
        Tensor[] r = F.split(d.r(), 0, 2 * h, h);
        return (xw, s) -> {
            Tensor[] xp = F.split(xw, 1, 2 * h, h);
            Tensor[] zr = F.split(d.act(0, F.gemm(s[0], r[0], xp[0], 1.0, 1.0, false, true)), 1, h, h);
            Tensor candidate = d.act(1, F.gemm(F.mul(zr[1], s[0]), r[1], xp[1], 1.0, 1.0, false, true));
            return new Tensor[] {blend(zr[0], candidate, s[0])};
        };
    }

    /** (1 − z) ⊙ h̃ + z ⊙ H, written h̃ + z ⊙ (H − h̃). */
    private static Tensor blend(Tensor z, Tensor candidate, Tensor previous) {
        return F.add(candidate, F.mul(z, F.sub(previous, candidate)));
    }
}

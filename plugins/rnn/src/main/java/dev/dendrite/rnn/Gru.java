package dev.dendrite.rnn;

import dev.dendrite.nn.Layer;
import dev.dendrite.nn.LayerContext;
import dev.dendrite.nn.LayerProvider;
import dev.dendrite.rnn.ops.Direction;
import dev.dendrite.rnn.ops.GruOp;
import dev.dendrite.spi.BaseProvider;
import dev.dendrite.tensor.Tensor;

/**
 * Gated recurrent unit (Cho et al. 2014), as PyTorch's {@code nn.GRU}: per layer and direction
 * <pre>
 *   r = σ(W_ir x + b_ir + W_hr h + b_hr)   z = σ(W_iz x + b_iz + W_hz h + b_hz)
 *   n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn))   h' = (1 − z) ⊙ n + z ⊙ h
 * </pre>
 * with PyTorch's gate order (r, z, n) in {@code weight_ih_l{k}} [3H, in] etc. Each layer runs as one fused
 * {@link GruOp} and exports as one ONNX {@code GRU} node with linear_before_reset = 1.
 */
public final class Gru extends Recurrent {
    public static final String ID = "gru";

    public Gru(Config c, LayerContext ctx) {
        super(ID, 3, c.inputSize(), c.hiddenSize(), c.numLayers(), c.bias(), c.batchFirst(), c.dropout(),
                c.bidirectional(), ctx);
    }

    @Override
    protected Tensor toOnnxGates(Tensor w) {
        return reorderGates(w, 1, 0, 2); // PyTorch (r, z, n) -> ONNX (z, r, h)
    }

    @Override
    protected Tensor[] layer(Direction direction, long hidden, Tensor x, Tensor w, Tensor r, Tensor b, Tensor lengths,
            Tensor[] initial) {
        GruOp op = new GruOp(direction, hidden, lengths != null, initial != null);
        return op.apply(args(x, w, r, b, lengths, initial));
    }

    public static final class Provider extends BaseProvider<Config> implements LayerProvider<Config> {
        public Provider() {
            super(ID, Config.class, Config.of(1, 1));
        }

        @Override
        public Layer create(Config config, LayerContext context) {
            return new Gru(config, context);
        }
    }
}

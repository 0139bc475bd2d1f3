package dev.dendrite.rnn;

import dev.dendrite.nn.Layer;
import dev.dendrite.nn.LayerContext;
import dev.dendrite.nn.LayerProvider;
import dev.dendrite.rnn.ops.Direction;
import dev.dendrite.rnn.ops.LstmOp;
import dev.dendrite.spi.BaseProvider;
import dev.dendrite.tensor.Tensor;

/**
 * Long short-term memory (Hochreiter &amp; Schmidhuber 1997), as PyTorch's {@code nn.LSTM}: per layer and direction
 * <pre>
 *   i = σ(W_ii x + b_ii + W_hi h + b_hi)   f = σ(W_if x + b_if + W_hf h + b_hf)   o = σ(W_io x + b_io + W_ho h + b_ho)
 *   g = tanh(W_ig x + b_ig + W_hg h + b_hg)   c' = f ⊙ c + i ⊙ g   h' = o ⊙ tanh(c')
 * </pre>
 * with PyTorch's gate order (i, f, g, o) in {@code weight_ih_l{k}} [4H, in] etc. Each layer runs as one fused
 * {@link LstmOp} (libnd4j's fused lstmLayer forward; its own backward, since lstmLayer_bp leaks native memory) and
 * exports as one ONNX {@code LSTM} node.
 */
public final class Lstm extends Recurrent {
    public static final String ID = "lstm";

    @Override
    protected int states() {
        return 2;
    }

    public Lstm(Config c, LayerContext ctx) {
        super(ID, 4, c.inputSize(), c.hiddenSize(), c.numLayers(), c.bias(), c.batchFirst(), c.dropout(),
                c.bidirectional(), ctx);
    }

    @Override
    protected Tensor toOnnxGates(Tensor w) {
        return reorderGates(w, 0, 3, 1, 2); // PyTorch (i, f, g, o) -> ONNX (i, o, f, c)
    }

    @Override
    protected Tensor[] layer(Direction direction, long hidden, Tensor x, Tensor w, Tensor r, Tensor b, Tensor lengths,
            Tensor[] initial) {
        LstmOp op = new LstmOp(direction, hidden, lengths != null, initial != null);
        return op.apply(args(x, w, r, b, lengths, initial));
    }

    public static final class Provider extends BaseProvider<Config> implements LayerProvider<Config> {
        public Provider() {
            super(ID, Config.class, Config.of(1, 1));
        }

        @Override
        public Layer create(Config config, LayerContext context) {
            return new Lstm(config, context);
        }
    }
}

package dev.dendrite.rnn;

import dev.dendrite.nn.Layer;
import dev.dendrite.nn.LayerContext;
import dev.dendrite.nn.LayerProvider;
import dev.dendrite.rnn.ops.Direction;
import dev.dendrite.rnn.ops.RnnOp;
import dev.dendrite.spi.BaseProvider;
import dev.dendrite.tensor.ShapeException;
import dev.dendrite.tensor.Tensor;

/**
 * The Elman recurrent network, as PyTorch's {@code nn.RNN}: per layer and direction
 * {@code h' = act(W_ih x + b_ih + W_hh h + b_hh)}, act = tanh or relu, with {@code weight_ih_l{k}} [H, in] etc.
 * Each layer runs as one fused {@link RnnOp} and exports as one ONNX {@code RNN} node.
 */
public final class Rnn extends Recurrent {
    public static final String ID = "rnn";
    private final String activation;

    /** PyTorch's {@code nn.RNN} arguments; {@code nonlinearity} is "tanh" or "relu". */
    public record Config(long inputSize, long hiddenSize, int numLayers, boolean bias, boolean batchFirst,
            double dropout, boolean bidirectional, String nonlinearity) {
        /** One tanh layer, with bias, time-first, no dropout, one direction. */
        public static Config of(long inputSize, long hiddenSize) {
            return new Config(inputSize, hiddenSize, 1, true, false, 0, false, "tanh");
        }

        public Config withLayers(int n) {
            return new Config(inputSize, hiddenSize, n, bias, batchFirst, dropout, bidirectional, nonlinearity);
        }

        public Config withBidirectional(boolean b) {
            return new Config(inputSize, hiddenSize, numLayers, bias, batchFirst, dropout, b, nonlinearity);
        }

        public Config withBatchFirst(boolean b) {
            return new Config(inputSize, hiddenSize, numLayers, bias, b, dropout, bidirectional, nonlinearity);
        }

        public Config withDropout(double p) {
            return new Config(inputSize, hiddenSize, numLayers, bias, batchFirst, p, bidirectional, nonlinearity);
        }

        public Config withBias(boolean b) {
            return new Config(inputSize, hiddenSize, numLayers, b, batchFirst, dropout, bidirectional, nonlinearity);
        }

        public Config withNonlinearity(String n) {
            return new Config(inputSize, hiddenSize, numLayers, bias, batchFirst, dropout, bidirectional, n);
        }
    }

    public Rnn(Config c, LayerContext ctx) {
        super(ID, 1, c.inputSize(), c.hiddenSize(), c.numLayers(), c.bias(), c.batchFirst(), c.dropout(),
                c.bidirectional(), ctx);
        if ("tanh".equals(c.nonlinearity())) {
            activation = "Tanh";
        } else if ("relu".equals(c.nonlinearity())) {
            activation = "Relu";
        } else {
            throw new ShapeException(ID + ": nonlinearity must be \"tanh\" or \"relu\", got \"" + c.nonlinearity()
                    + "\"");
        }
    }

    @Override
    protected Tensor toOnnxGates(Tensor w) {
        return w;
    }

    @Override
    protected Tensor[] layer(Direction direction, long hidden, Tensor x, Tensor w, Tensor r, Tensor b, Tensor lengths,
            Tensor[] initial) {
        RnnOp op = new RnnOp(direction, hidden, activation, lengths != null, initial != null);
        return op.apply(args(x, w, r, b, lengths, initial));
    }

    public static final class Provider extends BaseProvider<Config> implements LayerProvider<Config> {
        public Provider() {
            super(ID, Config.class, Config.of(1, 1));
        }

        @Override
        public Layer create(Config config, LayerContext context) {
            return new Rnn(config, context);
        }
    }
}

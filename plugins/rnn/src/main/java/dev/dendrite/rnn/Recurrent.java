package dev.dendrite.rnn;

import dev.dendrite.nn.Init;
import dev.dendrite.nn.LayerContext;
import dev.dendrite.nn.Module;
import dev.dendrite.ops.F;
import dev.dendrite.random.Rng;
import dev.dendrite.rnn.ops.Direction;
import dev.dendrite.tensor.ShapeException;
import dev.dendrite.tensor.Shapes;
import dev.dendrite.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A stack of recurrent layers over a sequence, with PyTorch's parameters (names, shapes, gate order, init) and
 * call conventions, running each layer as one fused ONNX-semantics primitive (LSTM, GRU or RNN).
 *
 * <p>Layer k, direction d (suffix {@code _reverse}) owns {@code weight_ih_l{k}} [G·H, in_k], {@code weight_hh_l{k}}
 * [G·H, H], {@code bias_ih_l{k}} and {@code bias_hh_l{k}} [G·H], all U(±1/√H); in_0 = inputSize, in_k = D·H. Per
 * layer the weights are reordered to ONNX's gate order and stacked over directions with differentiable ops, so a
 * PyTorch {@code state_dict} loads one to one and the exported graph is one ONNX recurrent node per layer.
 * Dropout (training only) sits between layers, not after the last.
 */
public abstract class Recurrent extends Module {
    /** PyTorch's {@code nn.LSTM} and {@code nn.GRU} arguments, the config of {@code lstm} and {@code gru}. */
    public record Config(long inputSize, long hiddenSize, int numLayers, boolean bias, boolean batchFirst,
            double dropout, boolean bidirectional) {
        /** One layer, with bias, time-first, no dropout, one direction. */
        public static Config of(long inputSize, long hiddenSize) {
            return new Config(inputSize, hiddenSize, 1, true, false, 0, false);
        }

        public Config withLayers(int n) {
            return new Config(inputSize, hiddenSize, n, bias, batchFirst, dropout, bidirectional);
        }

        public Config withBidirectional(boolean b) {
            return new Config(inputSize, hiddenSize, numLayers, bias, batchFirst, dropout, b);
        }

        public Config withBatchFirst(boolean b) {
            return new Config(inputSize, hiddenSize, numLayers, bias, b, dropout, bidirectional);
        }

        public Config withDropout(double p) {
            return new Config(inputSize, hiddenSize, numLayers, bias, batchFirst, p, bidirectional);
        }

        public Config withBias(boolean b) {
            return new Config(inputSize, hiddenSize, numLayers, b, batchFirst, dropout, bidirectional);
        }
    }

    private final long inputSize;
    private final long hiddenSize;
    private final int numLayers;
    private final boolean batchFirst;
    private final double dropout;
    private final Direction direction;
    private final int gates;
    private final Rng rng;
    /** [layer][direction]. */
    private final Tensor[][] weightIh;
    private final Tensor[][] weightHh;
    private final Tensor[][] biasIh;
    private final Tensor[][] biasHh;

    protected Recurrent(String kind, int gates, long inputSize, long hiddenSize, int numLayers, boolean bias,
            boolean batchFirst, double dropout, boolean bidirectional, LayerContext ctx) {
        super(kind);
        if (inputSize <= 0 || hiddenSize <= 0 || numLayers < 1 || !(dropout >= 0 && dropout < 1)) {
            throw new ShapeException(kind + ": inputSize, hiddenSize and numLayers must be >= 1 and dropout in [0, 1),"
                    + " got inputSize " + inputSize + ", hiddenSize " + hiddenSize + ", numLayers " + numLayers
                    + ", dropout " + dropout);
        }
        this.inputSize = inputSize;
        this.hiddenSize = hiddenSize;
        this.numLayers = numLayers;
        this.batchFirst = batchFirst;
        this.dropout = dropout;
        this.direction = bidirectional ? Direction.BIDIRECTIONAL : Direction.FORWARD;
        this.gates = gates;
        this.rng = ctx.rng();
        int dirs = direction.count();
        weightIh = new Tensor[numLayers][dirs];
        weightHh = new Tensor[numLayers][dirs];
        biasIh = new Tensor[numLayers][dirs];
        biasHh = new Tensor[numLayers][dirs];
        double bound = 1 / Math.sqrt(hiddenSize);
        long gh = gates * hiddenSize;
        for (int k = 0; k < numLayers; k++) {
            long in = k == 0 ? inputSize : dirs * hiddenSize;
            for (int d = 0; d < dirs; d++) {
                String sfx = "_l" + k + (d == 1 ? "_reverse" : "");
                weightIh[k][d] = parameter("weight_ih" + sfx, uniform(ctx, bound, gh, in));
                weightHh[k][d] = parameter("weight_hh" + sfx, uniform(ctx, bound, gh, hiddenSize));
                if (bias) {
                    biasIh[k][d] = parameter("bias_ih" + sfx, uniform(ctx, bound, gh));
                    biasHh[k][d] = parameter("bias_hh" + sfx, uniform(ctx, bound, gh));
                }
            }
        }
    }

    private static INDArray uniform(LayerContext ctx, double bound, long... shape) {
        return Init.uniform(ctx.rng(), ctx.dtype(), -bound, bound, shape);
    }

    /** Rows of a PyTorch [G·H, ...] weight or [G·H] bias reordered to the ONNX op's gate order. */
    protected abstract Tensor toOnnxGates(Tensor w);

    /**
     * Runs one layer's fused op on X [T, N, in], W [D, G·H, in], R [D, G·H, H], B [D, 2·G·H], lengths (nullable)
     * and the initial states (null, or [D, N, H] each); returns {Y [T, D, N, H], Y_h [D, N, H], [Y_c]}.
     */
    protected abstract Tensor[] layer(Direction direction, long hidden, Tensor x, Tensor w, Tensor r, Tensor b,
            Tensor lengths, Tensor[] initial);

    /** The H-row gate blocks of {@code w} (axis 0) in the order {@code blocks}: PyTorch's order to ONNX's. */
    protected final Tensor reorderGates(Tensor w, int... blocks) {
        long[] sizes = new long[blocks.length];
        Arrays.fill(sizes, hiddenSize);
        Tensor[] parts = F.split(w, 0, sizes);
        Tensor[] ordered = new Tensor[blocks.length];
        for (int i = 0; i < blocks.length; i++) {
            ordered[i] = parts[blocks[i]];
        }
        return F.concat(0, ordered);
    }

    /** The fused op's inputs: X, W, R, B, then the lengths and initial states when present. */
    protected static Tensor[] args(Tensor x, Tensor w, Tensor r, Tensor b, Tensor lengths, Tensor[] initial) {
        List<Tensor> in = new ArrayList<>(List.of(x, w, r, b));
        if (lengths != null) {
            in.add(lengths);
        }
        if (initial != null) {
            in.addAll(List.of(initial));
        }
        return in.toArray(Tensor[]::new);
    }

    /** 2 for LSTM (h and c), 1 otherwise. */
    protected int states() {
        return 1;
    }

    /** Output sequence [T, N, D·H] ([N, T, D·H] when batchFirst); zeros at padded steps. */
    @Override
    protected Tensor call(Tensor x) {
        return compute(x, null, null, null).output();
    }

    /**
     * The full form, as PyTorch's {@code module(packed_or_padded, hx)}: {@code lengths} nullable integer [N], each
     * in [1, T]; {@code h0} (and {@code c0}, LSTM only) nullable [numLayers·D, N, H] (zeros when absent).
     */
    public RecurrentOutput run(Tensor x, Tensor lengths, Tensor h0, Tensor c0) {
        try {
            return compute(x, lengths, h0, c0);
        } catch (ShapeException e) {
            throw e.inLayer(path(), kind());
        }
    }

    private RecurrentOutput compute(Tensor x, Tensor lengths, Tensor h0, Tensor c0) {
        String seq = batchFirst ? "[N, T, " + inputSize + "]" : "[T, N, " + inputSize + "]";
        if (x.rank() != 3) {
            throw new ShapeException("expected a rank-3 input " + seq + ", got shape " + Shapes.str(x.shape()));
        }
        if (x.size(2) != inputSize) {
            throw new ShapeException("expected input " + seq + " (inputSize " + inputSize + "), got shape "
                    + Shapes.str(x.shape()));
        }
        DataType type = weightIh[0][0].dtype();
        if (x.dtype() != type) {
            throw new ShapeException("expected a " + type + " input like the parameters, got " + x.dtype() + " "
                    + Shapes.str(x.shape()));
        }
        Tensor xs = batchFirst ? F.permute(x, 1, 0, 2) : x;
        long t = xs.size(0);
        long n = xs.size(1);
        if (t == 0 || n == 0) {
            throw new ShapeException("empty input " + Shapes.str(x.shape()) + " is not supported");
        }
        checkLengths(lengths, t, n);
        int dirs = direction.count();
        long[] stateShape = {(long) numLayers * dirs, n, hiddenSize};
        checkState("h0", h0, stateShape);
        if (c0 != null && states() == 1) {
            throw new ShapeException("c0 is an LSTM cell state; " + kind() + " takes only h0");
        }
        checkState("c0", c0, stateShape);
        Tensor[] init = null;
        if (h0 != null || c0 != null) {
            Tensor zeros = Tensor.of(Nd4j.zeros(x.dtype(), stateShape));
            init = states() == 2 ? new Tensor[] {h0 == null ? zeros : h0, c0 == null ? zeros : c0}
                    : new Tensor[] {h0};
        }
        Tensor[][] finals = new Tensor[states()][numLayers];
        Tensor y = xs;
        for (int k = 0; k < numLayers; k++) {
            if (k > 0 && dropout > 0 && isTraining()) {
                y = F.dropout(y, dropout, rng.nextLong());
            }
            Tensor[] layerInit = null;
            if (init != null) {
                layerInit = new Tensor[init.length];
                for (int s = 0; s < init.length; s++) {
                    layerInit[s] = numLayers == 1 ? init[s]
                            : F.slice(init[s], new long[] {(long) k * dirs}, new long[] {(long) (k + 1) * dirs},
                                    new long[] {0}, null);
                }
            }
            Tensor[] out = layer(direction, hiddenSize, y, stack(weightIh[k]), stack(weightHh[k]), biases(k, y),
                    lengths, layerInit);
            // Y [T, D, N, H] -> [T, N, D·H], the next layer's input; 0 = "copy this dim" keeps the exported graph
            // free of a fixed T and N.
            y = dirs == 1 ? F.squeeze(out[0], 1) : F.reshape(F.permute(out[0], 0, 2, 1, 3), 0, 0, dirs * hiddenSize);
            for (int s = 0; s < states(); s++) {
                finals[s][k] = out[1 + s];
            }
        }
        Tensor output = batchFirst ? F.permute(y, 1, 0, 2) : y;
        Tensor hidden = numLayers == 1 ? finals[0][0] : F.concat(0, finals[0]);
        Tensor cell = states() == 1 ? null : numLayers == 1 ? finals[1][0] : F.concat(0, finals[1]);
        return new RecurrentOutput(output, hidden, cell);
    }

    /** Per-direction PyTorch weights [G·H, K] -> ONNX [D, G·H, K]. */
    private Tensor stack(Tensor[] perDirection) {
        Tensor[] parts = new Tensor[perDirection.length];
        for (int d = 0; d < parts.length; d++) {
            parts[d] = F.unsqueeze(toOnnxGates(perDirection[d]), 0);
        }
        return parts.length == 1 ? parts[0] : F.concat(0, parts);
    }

    /** ONNX B [D, 2·G·H] = (Wb, Rb) per direction; zeros (a constant) without bias. */
    private Tensor biases(int k, Tensor like) {
        int dirs = direction.count();
        if (biasIh[k][0] == null) {
            return Tensor.of(Nd4j.zeros(like.dtype(), dirs, 2L * gates * hiddenSize));
        }
        Tensor[] parts = new Tensor[dirs];
        for (int d = 0; d < dirs; d++) {
            parts[d] = F.unsqueeze(F.concat(0, toOnnxGates(biasIh[k][d]), toOnnxGates(biasHh[k][d])), 0);
        }
        return dirs == 1 ? parts[0] : F.concat(0, parts);
    }

    private static void checkLengths(Tensor lengths, long t, long n) {
        if (lengths == null) {
            return;
        }
        if (lengths.dtype().isFPType() || lengths.dtype() == DataType.BOOL) {
            throw new ShapeException("lengths must be integers, got " + lengths.dtype());
        }
        if (lengths.rank() != 1 || lengths.size(0) != n) {
            throw new ShapeException("expected lengths [" + n + "] (one per sequence), got shape "
                    + Shapes.str(lengths.shape()));
        }
        for (long l : lengths.data().toLongVector()) {
            if (l < 1 || l > t) {
                throw new ShapeException("lengths must lie in [1, " + t + "] (the number of steps), got " + l);
            }
        }
    }

    private static void checkState(String what, Tensor s, long[] shape) {
        if (s != null && !Arrays.equals(s.shape(), shape)) {
            throw new ShapeException("expected " + what + " of shape " + Shapes.str(shape)
                    + " (numLayers * directions, N, hiddenSize), got " + Shapes.str(s.shape()));
        }
    }

    public final long inputSize() {
        return inputSize;
    }

    public final long hiddenSize() {
        return hiddenSize;
    }

    public final int numLayers() {
        return numLayers;
    }

    public final boolean batchFirst() {
        return batchFirst;
    }

    public final boolean bidirectional() {
        return direction == Direction.BIDIRECTIONAL;
    }
}

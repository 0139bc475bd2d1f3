package dev.dendrite.ops;

import dev.dendrite.onnx.OnnxBuilder;
import dev.dendrite.tensor.Function;
import dev.dendrite.tensor.Kernels;
import dev.dendrite.tensor.ShapeException;
import dev.dendrite.tensor.Shapes;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Per-row negative log-likelihood of class ids: −Σ_c q_c · log p_c for scores [M, C] and int64 ids [M], with
 * q the one-hot of the id smoothed by ε (q = (1 − ε)·onehot + ε/C). From logits (p = softmax, the fused
 * cross-entropy, whose gradient is (p − q)·g) or from log-probabilities (NLL, gradient −q·g).
 *
 * <p>Why one primitive: the targets enter as an input, not as arrays built from the labels outside the graph,
 * so a compiled step replays it for every batch; and its backward is one subtraction rather than the chain
 * log-softmax, gather and their gradients. Without smoothing the row's value is picked (a gather at row·C + id)
 * rather than multiplied by a one-hot, so a −∞ at another class cannot give −∞·0 = NaN.
 */
final class ClassNll extends Function {
    private final boolean fromLogits;
    private final double smoothing;
    private INDArray scores;
    private INDArray logp;
    private INDArray ids;

    ClassNll(boolean fromLogits, double smoothing) {
        if (!(smoothing >= 0 && smoothing <= 1)) {
            throw new ShapeException("cross_entropy: labelSmoothing must be in [0, 1], got " + smoothing);
        }
        this.fromLogits = fromLogits;
        this.smoothing = smoothing;
    }

    @Override
    public String name() {
        return fromLogits ? "cross_entropy" : "nll";
    }

    /** Ids in [0, C), read on the host before any native op indexes with them. */
    @Override
    protected void check(INDArray[] in) {
        Shapes.requireFloating(name(), in[0]);
        Shapes.requireIntegral(name(), in[1]);
        if (in[0].rank() != 2 || in[1].rank() != 1 || in[1].size(0) != in[0].size(0)) {
            throw new ShapeException(name() + ": expected scores [M, C] and ids [M], got " + Shapes.str(in[0].shape())
                    + " and " + Shapes.str(in[1].shape()));
        }
        if (in[1].length() > 0) {
            INDArray id = in[1];
            long min = Kernels.exec("reduce_min", Kernels.empty(id.dataType()), id).getLong(0);
            long max = Kernels.exec("reduce_max", Kernels.empty(id.dataType()), id).getLong(0);
            long classes = in[0].size(1);
            if (min < 0 || max >= classes) {
                throw new ShapeException(name() + ": class id " + (min < 0 ? min : max) + " is outside [0, " + classes
                        + ")");
            }
        }
    }

    @Override
    protected INDArray[] forward(INDArray[] in) {
        scores = in[0];
        long rows = scores.size(0);
        long classes = scores.size(1);
        DataType type = scores.dataType();
        ids = in[1].dataType() == DataType.INT64 ? in[1] : Kernels.cast(Kernels.empty(DataType.INT64, rows), in[1]);
        logp = scores;
        if (fromLogits) {
            logp = Kernels.exec("log_softmax", Kernels.empty(type, rows, classes), new long[] {1}, scores);
        }
        INDArray loss = Kernels.empty(type, rows);
        if (rows == 0) {
            return new INDArray[] {loss};
        }
        if (smoothing == 0) {
            // loss_i = −logp[i, id_i]: one gather at the flat index i·C + id_i.
            INDArray at = Kernels.exec("multiply", Kernels.empty(DataType.INT64, rows),
                    Nd4j.arange(0, rows).castTo(DataType.INT64), Nd4j.scalar(DataType.INT64, classes));
            Kernels.exec("add", at, at, ids);
            Kernels.exec("gather", loss, new long[] {0}, logp.reshape('c', new long[] {rows * classes}), at);
        } else {
            INDArray q = target(type, rows, classes);
            Kernels.exec("multiply", q, q, logp);
            Kernels.exec("reduce_sum", new INDArray[] {q}, new INDArray[] {loss}, new long[] {1}, null,
                    new boolean[] {false});
        }
        return new INDArray[] {Kernels.transform("neg", loss, loss)};
    }

    /** q: the smoothed one-hot of the ids, [M, C]. */
    private INDArray target(DataType type, long rows, long classes) {
        INDArray q = Kernels.empty(type, rows, classes);
        double off = smoothing / classes;
        Kernels.exec("onehot", new INDArray[] {ids}, new INDArray[] {q}, new long[] {-1, classes},
                new double[] {1 - smoothing + off, off}, null);
        return q;
    }

    @Override
    protected INDArray[] backward(INDArray[] g) {
        if (!needsGrad(0)) {
            return new INDArray[] {null, null};
        }
        long rows = scores.size(0);
        long classes = scores.size(1);
        DataType type = scores.dataType();
        INDArray d = target(type, rows, classes);
        if (fromLogits) {
            // d = (softmax(x) − q)·g, the softmax recomputed as exp(log p).
            INDArray p = Kernels.transform("exp", Kernels.empty(type, rows, classes), logp);
            Kernels.exec("subtract", d, p, d);
        } else {
            Kernels.transform("neg", d, d);
        }
        Kernels.exec("multiply", d, d, g[0].reshape('c', rows, 1));
        return new INDArray[] {d, null};
    }

    @Override
    public void toOnnx(OnnxBuilder onnx, String[] inputs, String[] outputs) {
        // Per-row losses: ONNX's loss ops with reduction "none". They have no label smoothing.
        if (smoothing != 0) {
            throw new ShapeException(name() + ": ONNX has no loss op with label smoothing");
        }
        onnx.node(fromLogits ? "SoftmaxCrossEntropyLoss" : "NegativeLogLikelihoodLoss", inputs, outputs,
                Map.of("reduction", "none"));
    }
}

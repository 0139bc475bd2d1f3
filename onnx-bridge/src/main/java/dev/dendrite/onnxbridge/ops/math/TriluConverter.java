package dev.dendrite.onnxbridge.ops.math;

import dev.dendrite.onnx.OnnxConverter;
import dev.dendrite.onnx.OnnxOp;
import dev.dendrite.ops.F;
import dev.dendrite.tensor.Kernels;
import dev.dendrite.tensor.Tensor;
import java.util.Arrays;
import java.util.Set;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Trilu (opset 14): keeps the upper ({@code upper=1}: column - row >= k) or lower (column - row <= k) triangle of
 * the last two dimensions and zeroes the rest; PyTorch's {@code torch.triu}/{@code torch.tril}, e.g. a causal mask
 * {@code triu(full((T, T), -inf), 1)} built inside a language model's graph. A select, not a multiplication by a 0/1
 * mask, because the kept values are often -inf and -inf * 0 is NaN. Floating inputs go through {@link F#where} (so
 * the gradient flows to the kept entries); integer and bool inputs through the native select.
 */
public final class TriluConverter implements OnnxConverter {
    @Override
    public Set<String> opTypes() {
        return Set.of("Trilu");
    }

    @Override
    public Tensor[] convert(OnnxOp op, Tensor[] inputs) {
        Tensor x = op.input(inputs, 0, "input");
        if (x.rank() < 2) {
            throw op.error("expects an input of rank >= 2, got " + Arrays.toString(x.shape()));
        }
        long k = 0;
        if (OnnxOp.present(inputs, 1)) {
            long[] ks = op.longs(inputs, 1, "k");
            if (ks.length != 1) {
                throw op.error("k must hold one value, got " + Arrays.toString(ks));
            }
            k = ks[0];
        }
        boolean upper = op.attr("upper", 1L) != 0;
        long rows = x.shape()[x.rank() - 2];
        long cols = x.shape()[x.rank() - 1];
        INDArray keep = keep(rows, cols, k, upper);
        if (x.dtype().isFPType()) {
            return new Tensor[] {F.where(Tensor.of(keep), x, Tensor.of(Nd4j.scalar(x.dtype(), 0.0)))};
        }
        INDArray out = Kernels.empty(x.dtype(), x.shape());
        if (out.isEmpty()) {
            return new Tensor[] {Tensor.of(out)};
        }
        Kernels.exec("select", out, MathSupport.broadcastTo(keep, x.shape()), x.data(),
                Nd4j.zeros(x.dtype(), x.shape()));
        return new Tensor[] {Tensor.of(out)};
    }

    /** The bool [rows, cols] mask of kept entries: column - row >= k (upper) or <= k (lower). */
    static INDArray keep(long rows, long cols, long k, boolean upper) {
        if (rows == 0 || cols == 0) {
            return Nd4j.create(DataType.BOOL, rows, cols);
        }
        INDArray r = Nd4j.arange(0, rows).castTo(DataType.INT64).reshape(rows, 1).broadcast(rows, cols);
        INDArray c = Nd4j.arange(0, cols).castTo(DataType.INT64).reshape(1, cols).broadcast(rows, cols);
        INDArray diff = c.sub(r);
        return upper ? diff.gte(k) : diff.lte(k);
    }
}

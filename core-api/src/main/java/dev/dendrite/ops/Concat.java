package dev.dendrite.ops;

import dev.dendrite.onnx.OnnxBuilder;
import dev.dendrite.tensor.Function;
import dev.dendrite.tensor.Kernels;
import dev.dendrite.tensor.ShapeException;
import dev.dendrite.tensor.Shapes;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** Concatenation along one axis; backward hands each input its slice of the gradient. */
final class Concat extends Function {
    private final int requestedAxis;
    private int axis;
    private long[] sizes;

    Concat(int axis) {
        this.requestedAxis = axis;
    }

    @Override
    public String name() {
        return "concat";
    }

    @Override
    protected INDArray[] forward(INDArray[] in) {
        if (in.length == 0) {
            throw new ShapeException("concat: no inputs");
        }
        Shapes.sameFloating("concat", in);
        long[] first = in[0].shape();
        axis = Shapes.axis("concat", requestedAxis, first);
        sizes = new long[in.length];
        for (int i = 0; i < in.length; i++) {
            long[] s = in[i].shape();
            boolean ok = s.length == first.length;
            for (int d = 0; ok && d < s.length; d++) {
                ok = d == axis || s[d] == first[d];
            }
            if (!ok) {
                throw new ShapeException("concat: input " + i + " has shape " + Shapes.str(s) + ", incompatible with "
                        + Shapes.str(first) + " along axis " + axis);
            }
            sizes[i] = s[axis];
        }
        if (in.length == 1) {
            return new INDArray[] {Kernels.copy(in[0])};
        }
        long[] shape = first.clone();
        shape[axis] = java.util.Arrays.stream(sizes).sum();
        INDArray out = Kernels.empty(in[0].dataType(), shape);
        Kernels.exec("concat", in, new INDArray[] {out}, new long[] {axis}, null, null);
        return new INDArray[] {out};
    }

    @Override
    protected INDArray[] backward(INDArray[] g) {
        INDArray[] out = new INDArray[sizes.length];
        long start = 0;
        for (int i = 0; i < sizes.length; i++) {
            if (needsGrad(i)) {
                out[i] = slice(g[0], axis, start, start + sizes[i]);
            }
            start += sizes[i];
        }
        return out;
    }

    /** g[..., start:end, ...] along {@code axis}, as a contiguous copy. */
    static INDArray slice(INDArray g, int axis, long start, long end) {
        INDArrayIndex[] idx = new INDArrayIndex[g.rank()];
        for (int d = 0; d < idx.length; d++) {
            idx[d] = d == axis ? NDArrayIndex.interval(start, end) : NDArrayIndex.all();
        }
        return Kernels.copy(g.get(idx));
    }

    @Override
    public void toOnnx(OnnxBuilder onnx, String[] inputs, String[] outputs) {
        onnx.node("Concat", inputs, outputs, Map.of("axis", (long) axis));
    }
}

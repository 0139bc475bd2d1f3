package dev.dendrite.onnxbridge.ops.math;

import dev.dendrite.onnx.OnnxConverter;
import dev.dendrite.onnx.OnnxOp;
import dev.dendrite.tensor.Kernels;
import dev.dendrite.tensor.Tensor;
import java.util.Set;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** ArgMax: int64 indices along one axis; the first maximum, or the last with {@code select_last_index}. */
public final class ArgMaxConverter implements OnnxConverter {
    @Override
    public Set<String> opTypes() {
        return Set.of("ArgMax");
    }

    @Override
    public Tensor[] convert(OnnxOp op, Tensor[] inputs) {
        Tensor x = op.input(inputs, 0, "data");
        if (x.rank() == 0) {
            throw op.error("the input must have rank >= 1");
        }
        if (x.dtype() == DataType.BOOL || !x.dtype().isNumerical()) {
            throw MathSupport.unsupportedType(op, x);
        }
        int axis = op.axis(op.attr("axis", 0L), x.rank(), "axis");
        boolean keepDims = op.attr("keepdims", 1L) != 0;
        boolean last = op.attr("select_last_index", 0L) != 0;
        long n = x.shape()[axis];
        long[] kept = x.shape().clone();
        kept[axis] = 1;
        long[] outShape = keepDims ? kept : without(x.shape(), axis);
        if (n == 0) {
            throw op.error("cannot take the arg max over empty axis " + axis + " of " + MathSupport.shapes(x));
        }
        if (x.data().isEmpty()) {
            return MathSupport.one(op, Tensor.of(Nd4j.create(DataType.LONG, outShape)));
        }
        INDArray data = x.data();
        if (last) {
            INDArray reversed = Kernels.empty(data.dataType(), data.shape());
            Kernels.exec("reverse", new INDArray[] {data}, new INDArray[] {reversed}, new long[] {axis}, null, null);
            data = reversed;
        }
        INDArray idx = data.argMax(axis).castTo(DataType.LONG).reshape('c', outShape);
        if (last) {
            idx = idx.rsub(n - 1);
        }
        return MathSupport.one(op, Tensor.of(idx));
    }

    private static long[] without(long[] shape, int axis) {
        long[] out = new long[shape.length - 1];
        for (int i = 0, j = 0; i < shape.length; i++) {
            if (i != axis) {
                out[j++] = shape[i];
            }
        }
        return out;
    }
}

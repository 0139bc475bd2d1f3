package dev.dendrite.onnxbridge.ops.shape;

import dev.dendrite.onnx.OnnxConverter;
import dev.dendrite.onnx.OnnxOp;
import dev.dendrite.ops.F;
import dev.dendrite.tensor.Tensor;
import java.util.Arrays;
import java.util.Set;

/** Slice and Gather, through the differentiable slice and gather primitives. */
public final class SliceGatherConverter implements OnnxConverter {
    @Override
    public Set<String> opTypes() {
        return Set.of("Slice", "Gather");
    }

    @Override
    public Tensor[] convert(OnnxOp op, Tensor[] inputs) {
        Tensor x = op.input(inputs, 0, "data");
        if (x.rank() == 0) {
            throw op.error("cannot index a scalar");
        }
        return new Tensor[] {op.opType().equals("Slice") ? slice(op, x, inputs) : gather(op, x, inputs)};
    }

    private static Tensor slice(OnnxOp op, Tensor x, Tensor[] inputs) {
        long[] starts;
        long[] ends;
        long[] axes;
        long[] steps = null;
        if (op.opset() < 10) {
            starts = op.require("starts", long[].class);
            ends = op.require("ends", long[].class);
            axes = op.attr("axes", (long[]) null);
        } else {
            starts = op.longs(inputs, 1, "starts");
            ends = op.longs(inputs, 2, "ends");
            axes = OnnxOp.present(inputs, 3) ? op.longs(inputs, 3, "axes") : null;
            steps = OnnxOp.present(inputs, 4) ? op.longs(inputs, 4, "steps") : null;
        }
        int n = starts.length;
        if (ends.length != n || (axes != null && axes.length != n) || (steps != null && steps.length != n)) {
            throw op.error("starts " + Arrays.toString(starts) + ", ends " + Arrays.toString(ends) + ", axes "
                    + Arrays.toString(axes) + " and steps " + Arrays.toString(steps) + " differ in length");
        }
        if (axes == null) {
            if (n > x.rank()) {
                throw op.error(n + " starts for an input of rank " + x.rank());
            }
            axes = new long[n];
            for (int i = 0; i < n; i++) {
                axes[i] = i;
            }
        }
        int[] resolved = op.axes(axes, x.rank(), "axis");
        if (steps != null && Arrays.stream(steps).anyMatch(s -> s == 0)) {
            throw op.error("steps " + Arrays.toString(steps) + " contain 0");
        }
        if (n == 0) {
            return x;
        }
        return F.slice(x, starts, ends, Arrays.stream(resolved).asLongStream().toArray(), steps);
    }

    private static Tensor gather(OnnxOp op, Tensor x, Tensor[] inputs) {
        Tensor indices = op.input(inputs, 1, "indices");
        if (!indices.dtype().isIntType()) {
            throw op.error("indices must be int32 or int64, got " + indices.dtype());
        }
        int axis = op.axis(op.attr("axis", 0L), x.rank(), "axis");
        long n = x.shape()[axis];
        if (indices.data().length() > 0) {
            long min = indices.data().minNumber().longValue();
            long max = indices.data().maxNumber().longValue();
            if (min < -n || max >= n) {
                throw op.error("index " + (min < -n ? min : max) + " is out of range for axis " + axis + " of "
                        + Arrays.toString(x.shape()));
            }
        }
        return F.gather(x, indices, axis);
    }
}

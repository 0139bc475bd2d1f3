package dev.dendrite.onnxbridge.ops.shape;

import dev.dendrite.onnx.OnnxConverter;
import dev.dendrite.onnx.OnnxOp;
import dev.dendrite.ops.F;
import dev.dendrite.tensor.Tensor;
import java.util.Arrays;
import java.util.Set;

/** Concat and Split: joining along an axis and cutting along one. */
public final class ConcatSplitConverter implements OnnxConverter {
    @Override
    public Set<String> opTypes() {
        return Set.of("Concat", "Split");
    }

    @Override
    public Tensor[] convert(OnnxOp op, Tensor[] inputs) {
        return op.opType().equals("Concat") ? new Tensor[] {concat(op, inputs)} : split(op, inputs);
    }

    private static Tensor concat(OnnxOp op, Tensor[] inputs) {
        if (inputs.length == 0) {
            throw op.error("needs at least one input");
        }
        for (int i = 0; i < inputs.length; i++) {
            op.input(inputs, i, "value " + i);
        }
        int rank = inputs[0].rank();
        if (rank == 0) {
            throw op.error("cannot concatenate scalars");
        }
        long axis = op.opset() < 4 ? op.attr("axis", 1L) : op.require("axis", Long.class);
        return ShapeArgs.concat(op, op.axis(axis, rank, "axis"), inputs);
    }

    private static Tensor[] split(OnnxOp op, Tensor[] inputs) {
        Tensor x = op.input(inputs, 0, "input");
        if (x.rank() == 0) {
            throw op.error("cannot split a scalar");
        }
        int axis = op.axis(op.attr("axis", 0L), x.rank(), "axis");
        long dim = x.shape()[axis];
        int n = op.outputCount();
        long[] sizes = sizes(op, inputs, dim, n);
        if (sizes.length != n) {
            throw op.error("split " + Arrays.toString(sizes) + " has " + sizes.length + " parts, the node has " + n
                    + " outputs");
        }
        long total = 0;
        for (long s : sizes) {
            if (s < 0) {
                throw op.error("split " + Arrays.toString(sizes) + " has a negative size");
            }
            total = ShapeArgs.plus(op, total, s, "split");
        }
        if (total != dim) {
            throw op.error("split " + Arrays.toString(sizes) + " adds up to " + total + ", but axis " + axis + " of "
                    + Arrays.toString(x.shape()) + " has " + dim);
        }
        return n == 1 ? new Tensor[] {x} : F.split(x, axis, sizes);
    }

    private static long[] sizes(OnnxOp op, Tensor[] inputs, long dim, int outputs) {
        if (op.opset() < 13 && op.has("split")) {
            return op.require("split", long[].class);
        }
        if (op.opset() >= 13 && OnnxOp.present(inputs, 1)) {
            if (op.has("num_outputs")) {
                throw op.error("gives both the split input and num_outputs");
            }
            return op.longs(inputs, 1, "split");
        }
        if (outputs < 1) {
            throw op.error("has no outputs");
        }
        long[] sizes = new long[outputs];
        if (op.opset() >= 18 && op.has("num_outputs")) {
            long n = op.require("num_outputs", Long.class);
            if (n != outputs) {
                throw op.error("num_outputs " + n + " differs from the node's " + outputs + " outputs");
            }
            // Chunks of ceil(dim / n); the last one takes what is left.
            long chunk = (dim + n - 1) / n;
            long last = dim - chunk * (n - 1);
            if (last < 0) {
                throw op.error("cannot split " + dim + " into " + n + " chunks of " + chunk);
            }
            Arrays.fill(sizes, chunk);
            sizes[outputs - 1] = last;
            return sizes;
        }
        if (dim % outputs != 0) {
            throw op.error("cannot split " + dim + " evenly into " + outputs + " outputs");
        }
        Arrays.fill(sizes, dim / outputs);
        return sizes;
    }
}

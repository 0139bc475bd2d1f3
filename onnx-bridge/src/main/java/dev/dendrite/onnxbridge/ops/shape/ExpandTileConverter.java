package dev.dendrite.onnxbridge.ops.shape;

import dev.dendrite.onnx.OnnxConverter;
import dev.dendrite.onnx.OnnxOp;
import dev.dendrite.ops.F;
import dev.dendrite.tensor.Tensor;
import java.util.Arrays;
import java.util.Set;

/**
 * Expand (broadcast to a shape) and Tile (repeat along each axis). Tile is an unsqueeze, an expand and a
 * reshape: x[a, b] repeated [r, s] is x viewed as [1, a, 1, b], broadcast to [r, a, s, b], flattened to
 * [r·a, s·b]; so its backward is the expand's sum over the copies.
 */
public final class ExpandTileConverter implements OnnxConverter {
    @Override
    public Set<String> opTypes() {
        return Set.of("Expand", "Tile");
    }

    @Override
    public Tensor[] convert(OnnxOp op, Tensor[] inputs) {
        Tensor x = op.input(inputs, 0, "input");
        return new Tensor[] {op.opType().equals("Expand") ? expand(op, x, inputs) : tile(op, x, inputs)};
    }

    private static Tensor expand(OnnxOp op, Tensor x, Tensor[] inputs) {
        long[] shape = op.longs(inputs, 1, "shape");
        long[] in = x.shape();
        int rank = Math.max(in.length, shape.length);
        long[] out = new long[rank];
        for (int i = 0; i < rank; i++) {
            long a = i < rank - in.length ? 1 : in[i - (rank - in.length)];
            long b = i < rank - shape.length ? 1 : shape[i - (rank - shape.length)];
            if (b < 0) {
                throw op.error("shape " + Arrays.toString(shape) + " has a negative dim");
            }
            if (a != b && a != 1 && b != 1) {
                throw op.error("input " + Arrays.toString(in) + " does not broadcast to " + Arrays.toString(shape));
            }
            out[i] = a == 1 ? b : a;
        }
        op.checkShape(out, "expanded shape");
        if (Arrays.equals(out, in)) {
            return x;
        }
        if (ShapeArgs.numel(out) == 0) {
            return ShapeArgs.empty(x.dtype(), out);
        }
        return F.expand(x, out);
    }

    private static Tensor tile(OnnxOp op, Tensor x, Tensor[] inputs) {
        if (op.opset() < 6) {
            throw op.error("Tile before opset 6 (tiles and axis inputs) is not supported");
        }
        long[] repeats = op.longs(inputs, 1, "repeats");
        long[] in = x.shape();
        if (repeats.length != in.length) {
            throw op.error("repeats " + Arrays.toString(repeats) + " must have one entry per axis of input "
                    + Arrays.toString(in));
        }
        long[] out = new long[in.length];
        int grown = 0;
        for (int i = 0; i < in.length; i++) {
            if (repeats[i] < 0) {
                throw op.error("repeats " + Arrays.toString(repeats) + " has a negative entry");
            }
            out[i] = ShapeArgs.times(op, in[i], repeats[i], "tiled dim " + i);
            grown += repeats[i] == 1 ? 0 : 1;
        }
        op.checkShape(out, "tiled shape");
        if (grown == 0) {
            return x;
        }
        if (ShapeArgs.numel(out) == 0) {
            return ShapeArgs.empty(x.dtype(), out);
        }
        // A new axis of size 1 before each repeated axis, broadcast to the repeat count.
        long[] split = new long[in.length + grown];
        long[] wide = new long[in.length + grown];
        for (int i = 0, j = 0; i < in.length; i++) {
            if (repeats[i] != 1) {
                split[j] = 1;
                wide[j++] = repeats[i];
            }
            split[j] = in[i];
            wide[j++] = in[i];
        }
        return F.reshape(F.expand(F.reshape(x, split), wide), out);
    }
}

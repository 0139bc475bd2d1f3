package dev.dendrite.onnxbridge.ops.shape;

import dev.dendrite.onnx.OnnxConverter;
import dev.dendrite.onnx.OnnxOp;
import dev.dendrite.ops.F;
import dev.dendrite.tensor.Tensor;
import java.util.Arrays;
import java.util.Set;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Pad, one axis at a time. Constant mode crops negative pads with a slice and concatenates blocks of
 * the value; edge, reflect and wrap gather each output position's source index along the axis, so
 * the gradient scatters back onto the edge, mirrored or wrapped element it came from.
 */
public final class PadConverter implements OnnxConverter {
    @Override
    public Set<String> opTypes() {
        return Set.of("Pad");
    }

    @Override
    public Tensor[] convert(OnnxOp op, Tensor[] inputs) {
        Tensor x = op.input(inputs, 0, "data");
        int r = x.rank();
        String mode = op.attr("mode", "constant");
        if (!Set.of("constant", "reflect", "edge").contains(mode) && !(mode.equals("wrap") && op.opset() >= 19)) {
            throw op.error("mode '" + mode + "' is not supported");
        }
        long[] pads;
        double value;
        int[] axes;
        if (op.opset() < 11) {
            pads = op.opset() < 2 ? op.require("paddings", long[].class) : op.require("pads", long[].class);
            value = op.attr("value", 0.0);
            axes = all(r);
        } else {
            pads = op.longs(inputs, 1, "pads");
            value = OnnxOp.present(inputs, 2) ? constantValue(op, inputs[2]) : 0;
            axes = op.opset() >= 18 && OnnxOp.present(inputs, 3)
                    ? op.axes(op.longs(inputs, 3, "axes"), r, "axis") : all(r);
        }
        if (pads.length != 2 * axes.length) {
            throw op.error("pads " + Arrays.toString(pads) + " must have 2 × " + axes.length + " entries");
        }
        long[] in = x.shape();
        long[] out = in.clone();
        for (int i = 0; i < axes.length; i++) {
            int a = axes[i];
            long before = pads[i];
            long after = pads[i + axes.length];
            out[a] = ShapeArgs.plus(op, ShapeArgs.plus(op, in[a], before, "padded dim"), after, "padded dim");
            if (in[a] - Math.max(0, -before) - Math.max(0, -after) < 0) {
                throw op.error("pads " + Arrays.toString(pads) + " crop more than axis " + a + " of "
                        + Arrays.toString(in) + " holds");
            }
            if (!mode.equals("constant") && in[a] == 0 && out[a] > 0) {
                throw op.error("cannot " + mode + "-pad axis " + a + " of " + Arrays.toString(in) + ": it is empty");
            }
        }
        op.checkShape(out, "padded shape");
        if (Arrays.equals(in, out) && Arrays.stream(pads).allMatch(p -> p == 0)) {
            return new Tensor[] {x};
        }
        if (ShapeArgs.numel(out) == 0) {
            return new Tensor[] {ShapeArgs.empty(x.dtype(), out)};
        }
        Tensor y = x;
        for (int i = 0; i < axes.length; i++) {
            long before = pads[i];
            long after = pads[i + axes.length];
            if (before != 0 || after != 0) {
                y = mode.equals("constant") ? constant(op, y, axes[i], before, after, value)
                        : F.gather(y, Tensor.of(sources(mode, y.shape()[axes[i]], before, after)), axes[i]);
            }
        }
        return new Tensor[] {y};
    }

    private static int[] all(int r) {
        int[] a = new int[r];
        for (int i = 0; i < r; i++) {
            a[i] = i;
        }
        return a;
    }

    private static double constantValue(OnnxOp op, Tensor v) {
        if (v.data().length() != 1) {
            throw op.error("constant_value must hold one value, got shape " + Arrays.toString(v.shape()));
        }
        return v.data().getDouble(0);
    }

    private static Tensor constant(OnnxOp op, Tensor x, int axis, long before, long after, double value) {
        long n = x.shape()[axis];
        long from = Math.max(0, -before);
        long to = n - Math.max(0, -after);
        Tensor core = from == 0 && to == n ? x
                : F.slice(x, new long[] {from}, new long[] {to}, new long[] {axis}, null);
        if (before <= 0 && after <= 0) {
            return core;
        }
        Tensor[] parts = new Tensor[(before > 0 ? 1 : 0) + 1 + (after > 0 ? 1 : 0)];
        int k = 0;
        if (before > 0) {
            parts[k++] = block(core, axis, before, value);
        }
        parts[k++] = core;
        if (after > 0) {
            parts[k] = block(core, axis, after, value);
        }
        return ShapeArgs.concat(op, axis, parts);
    }

    private static Tensor block(Tensor like, int axis, long size, double value) {
        long[] shape = like.shape().clone();
        shape[axis] = size;
        INDArray b = Nd4j.create(like.dtype(), shape);
        if (value != 0 && b.length() > 0) {
            b.assign(value);
        }
        return Tensor.of(b);
    }

    /** For each output position along the axis, the input position it copies. */
    static INDArray sources(String mode, long n, long before, long after) {
        long len = n + before + after;
        long[] idx = new long[(int) len];
        long period = 2 * (n - 1);
        for (int j = 0; j < len; j++) {
            long k = j - before;
            idx[j] = switch (mode) {
                case "edge" -> Math.max(0, Math.min(n - 1, k));
                case "wrap" -> Math.floorMod(k, n);
                default -> {
                    if (period == 0) {
                        yield 0;
                    }
                    long m = Math.floorMod(k, period);
                    yield m < n ? m : period - m;
                }
            };
        }
        return Nd4j.createFromArray(idx);
    }
}

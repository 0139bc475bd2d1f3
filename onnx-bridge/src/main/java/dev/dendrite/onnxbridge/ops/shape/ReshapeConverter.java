package dev.dendrite.onnxbridge.ops.shape;

import dev.dendrite.onnx.OnnxConverter;
import dev.dendrite.onnx.OnnxOp;
import dev.dendrite.ops.F;
import dev.dendrite.tensor.Tensor;
import java.util.Arrays;
import java.util.Set;

/** Reshape, Flatten, Squeeze and Unsqueeze: views with a new shape, through the reshape primitive. */
public final class ReshapeConverter implements OnnxConverter {
    @Override
    public Set<String> opTypes() {
        return Set.of("Reshape", "Flatten", "Squeeze", "Unsqueeze");
    }

    @Override
    public Tensor[] convert(OnnxOp op, Tensor[] inputs) {
        Tensor x = op.input(inputs, 0, "data");
        Tensor y = switch (op.opType()) {
            case "Reshape" -> reshape(op, x, inputs);
            case "Flatten" -> flatten(op, x);
            case "Squeeze" -> squeeze(op, x, inputs);
            case "Unsqueeze" -> unsqueeze(op, x, inputs);
            default -> throw op.error("is not a reshape op");
        };
        return new Tensor[] {y};
    }

    private static Tensor reshape(OnnxOp op, Tensor x, Tensor[] inputs) {
        long[] spec = op.opset() < 5 ? op.require("shape", long[].class) : op.longs(inputs, 1, "shape");
        boolean allowZero = op.attr("allowzero", 0L) != 0;
        long[] out = resolve(op, x.shape(), spec, allowZero);
        if (allowZero && Arrays.stream(spec).anyMatch(d -> d == 0)) {
            // A literal 0: the result is empty (resolve checked the input is too).
            return ShapeArgs.empty(x.dtype(), out);
        }
        // Keep the ONNX form (0 = copy, -1 = infer): it exports back unchanged and stays batch-size generic.
        return Arrays.equals(out, x.shape()) ? x : F.reshape(x, spec);
    }

    /** The output shape, checked against the input's element count. */
    static long[] resolve(OnnxOp op, long[] in, long[] spec, boolean allowZero) {
        long[] out = new long[spec.length];
        int infer = -1;
        long known = 1;
        for (int i = 0; i < spec.length; i++) {
            long d = spec[i];
            if (d == -1) {
                if (infer >= 0) {
                    throw op.error("shape " + Arrays.toString(spec) + " has more than one -1");
                }
                infer = i;
                continue;
            }
            if (d < -1) {
                throw op.error("shape " + Arrays.toString(spec) + " has an invalid dim " + d);
            }
            if (d == 0 && !allowZero) {
                if (i >= in.length) {
                    throw op.error("shape " + Arrays.toString(spec) + " copies dim " + i + " (0), which input "
                            + Arrays.toString(in) + " does not have");
                }
                d = in[i];
            }
            out[i] = d;
            known = ShapeArgs.times(op, known, d, "shape " + Arrays.toString(spec));
        }
        long total = ShapeArgs.numel(in);
        if (infer >= 0) {
            if (known == 0 || total % known != 0) {
                throw op.error("cannot reshape " + Arrays.toString(in) + " (" + total + " elements) to "
                        + Arrays.toString(spec));
            }
            out[infer] = total / known;
        } else if (known != total) {
            throw op.error("cannot reshape " + Arrays.toString(in) + " (" + total + " elements) to "
                    + Arrays.toString(spec) + " (" + known + " elements)");
        }
        return out;
    }

    private static Tensor flatten(OnnxOp op, Tensor x) {
        long axis = op.attr("axis", 1L);
        int r = x.rank();
        if (axis < -r || axis > r) {
            throw op.error("axis " + axis + " is out of range for input " + Arrays.toString(x.shape()));
        }
        return F.flatten(x, (int) (axis < 0 ? axis + r : axis));
    }

    private static long[] axesOf(OnnxOp op, Tensor[] inputs) {
        if (op.opset() < 13) {
            return op.attr("axes", (long[]) null);
        }
        return OnnxOp.present(inputs, 1) ? op.longs(inputs, 1, "axes") : null;
    }

    private static Tensor squeeze(OnnxOp op, Tensor x, Tensor[] inputs) {
        long[] axes = axesOf(op, inputs);
        long[] shape = x.shape();
        if (axes == null || axes.length == 0) {
            return Arrays.stream(shape).anyMatch(d -> d == 1) ? F.squeeze(x) : x;
        }
        for (int a : op.axes(axes, x.rank(), "axis")) {
            if (shape[a] != 1) {
                throw op.error("cannot squeeze axis " + a + " of " + Arrays.toString(shape) + ": its size is "
                        + shape[a]);
            }
        }
        return F.squeeze(x, axes);
    }

    private static Tensor unsqueeze(OnnxOp op, Tensor x, Tensor[] inputs) {
        long[] axes = op.opset() < 13 ? op.require("axes", long[].class) : op.longs(inputs, 1, "axes");
        op.axes(axes, x.rank() + axes.length, "axis");
        return axes.length == 0 ? x : F.unsqueeze(x, axes);
    }
}

package dev.dendrite.onnxbridge.ops.shape;

import dev.dendrite.onnx.OnnxConverter;
import dev.dendrite.onnx.OnnxOp;
import dev.dendrite.tensor.Tensor;
import java.util.Arrays;
import java.util.Set;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Shape, ConstantOfShape and Range: values made from shapes and numbers, not from differentiable data,
 * so they are computed directly as constants. Every size read from data is checked before allocation.
 */
public final class ShapeConverter implements OnnxConverter {
    @Override
    public Set<String> opTypes() {
        return Set.of("Shape", "ConstantOfShape", "Range");
    }

    @Override
    public Tensor[] convert(OnnxOp op, Tensor[] inputs) {
        INDArray y = switch (op.opType()) {
            case "Shape" -> shape(op, op.input(inputs, 0, "data"));
            case "ConstantOfShape" -> constantOfShape(op, inputs);
            case "Range" -> range(op, inputs);
            default -> throw op.error("is not a shape op");
        };
        return new Tensor[] {Tensor.of(y)};
    }

    private static INDArray shape(OnnxOp op, Tensor x) {
        long[] s = x.shape();
        int r = s.length;
        long start = clamp(op.attr("start", 0L), r);
        long end = clamp(op.attr("end", (long) r), r);
        if (end <= start) {
            return Nd4j.create(DataType.INT64, 0);
        }
        return Nd4j.createFromArray(Arrays.copyOfRange(s, (int) start, (int) end));
    }

    private static long clamp(long v, int r) {
        long a = v < 0 ? v + r : v;
        return Math.max(0, Math.min(r, a));
    }

    private static INDArray constantOfShape(OnnxOp op, Tensor[] inputs) {
        long[] shape = op.checkShape(op.longs(inputs, 0, "shape"), "shape");
        DataType type = DataType.FLOAT;
        double value = 0;
        if (op.has("value")) {
            INDArray v = op.tensorAttr("value");
            if (v.length() != 1) {
                throw op.error("value must hold exactly one element, got shape " + Arrays.toString(v.shape()));
            }
            type = v.dataType();
            if (type == DataType.INT64 && v.getLong(0) != 0 && ShapeArgs.numel(shape) > 0) {
                // A long through a double would lose its low bits.
                long[] fill = new long[(int) ShapeArgs.numel(shape)];
                Arrays.fill(fill, v.getLong(0));
                return Nd4j.createFromArray(fill).reshape(shape);
            }
            value = v.getDouble(0);
        }
        INDArray out = Nd4j.create(type, shape);
        return value == 0 || out.length() == 0 ? out : out.assign(value);
    }

    private static INDArray range(OnnxOp op, Tensor[] inputs) {
        Tensor start = op.input(inputs, 0, "start");
        Tensor limit = op.input(inputs, 1, "limit");
        Tensor delta = op.input(inputs, 2, "delta");
        DataType type = start.dtype();
        for (Tensor t : new Tensor[] {start, limit, delta}) {
            if (t.data().length() != 1 || t.rank() > 1) {
                throw op.error("start, limit and delta must be scalars, got shape " + Arrays.toString(t.shape()));
            }
            if (t.dtype() != type) {
                throw op.error("start, limit and delta must share a dtype, got " + type + " and " + t.dtype());
            }
        }
        if (type.isFPType()) {
            double s = start.data().getDouble(0);
            double l = limit.data().getDouble(0);
            double d = delta.data().getDouble(0);
            if (d == 0 || !Double.isFinite(s) || !Double.isFinite(l) || !Double.isFinite(d)) {
                throw op.error("start " + s + ", limit " + l + ", delta " + d + " do not make a finite range");
            }
            double count = Math.max(0, Math.ceil((l - s) / d));
            if (!(count <= OnnxOp.MAX_ELEMENTS)) {
                throw op.error("range from " + s + " to " + l + " by " + d + " would hold " + count
                        + " elements, more than " + OnnxOp.MAX_ELEMENTS + " (raise -Ddendrite.onnx.maxElements)");
            }
            int n = (int) op.checkShape(new long[] {(long) count}, "range")[0];
            if (n == 0) {
                return Nd4j.create(type, 0);
            }
            double[] v = new double[n];
            for (int i = 0; i < n; i++) {
                v[i] = s + i * d;
            }
            return Nd4j.createFromArray(v).castTo(type);
        }
        if (!type.isIntType()) {
            throw op.error("Range of " + type + " is not supported");
        }
        long s = start.data().getLong(0);
        long l = limit.data().getLong(0);
        long d = delta.data().getLong(0);
        if (d == 0) {
            throw op.error("delta is 0");
        }
        long count;
        try {
            long span = Math.subtractExact(l, s);
            count = span == 0 || (span > 0) != (d > 0) ? 0
                    : (Math.absExact(span) - 1) / Math.absExact(d) + 1;
        } catch (ArithmeticException e) {
            throw op.error("range from " + s + " to " + l + " by " + d + " overflows");
        }
        int n = (int) op.checkShape(new long[] {count}, "range")[0];
        if (n == 0) {
            return Nd4j.create(type, 0);
        }
        long[] v = new long[n];
        for (int i = 0; i < n; i++) {
            v[i] = s + i * d;
        }
        return Nd4j.createFromArray(v).castTo(type);
    }
}

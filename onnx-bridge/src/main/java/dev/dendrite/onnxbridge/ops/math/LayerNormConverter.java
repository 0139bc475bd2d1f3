package dev.dendrite.onnxbridge.ops.math;

import dev.dendrite.onnx.OnnxConverter;
import dev.dendrite.onnx.OnnxOp;
import dev.dendrite.onnx.OnnxTypes;
import dev.dendrite.ops.F;
import dev.dendrite.tensor.Tensor;
import java.util.Arrays;
import java.util.Set;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * LayerNormalization (opset 17) over the axes from {@code axis} on. Y alone runs on the fused primitive
 * when Scale and B have exactly the normalised shape; when Mean or InvStdDev are asked for, or Scale/B
 * only broadcast, it is composed from primitives (ONNX's own function body), so every output is
 * differentiable. Half-precision inputs are computed in {@code stash_type} (float32) and Y cast back.
 */
public final class LayerNormConverter implements OnnxConverter {
    @Override
    public Set<String> opTypes() {
        return Set.of("LayerNormalization");
    }

    @Override
    public Tensor[] convert(OnnxOp op, Tensor[] inputs) {
        Tensor x = op.input(inputs, 0, "X");
        Tensor scale = op.input(inputs, 1, "Scale");
        Tensor bias = OnnxOp.present(inputs, 2) ? inputs[2] : null;
        if (!MathSupport.floating(x)) {
            throw MathSupport.unsupportedType(op, x);
        }
        MathSupport.sameType(op, bias == null ? new Tensor[] {x, scale} : new Tensor[] {x, scale, bias});
        if (x.rank() == 0) {
            throw op.error("X must have rank >= 1");
        }
        int axis = op.axis(op.attr("axis", -1L), x.rank(), "axis");
        double eps = op.attr("epsilon", 1e-5);
        if (!(eps >= 0)) {
            throw op.error("epsilon must be >= 0, got " + eps);
        }
        long[] normShape = Arrays.copyOfRange(x.shape(), axis, x.rank());
        for (Tensor p : bias == null ? new Tensor[] {scale} : new Tensor[] {scale, bias}) {
            long[] bs = MathSupport.broadcast(op, x, p);
            if (!Arrays.equals(bs, x.shape())) {
                throw op.error("Scale and B must broadcast to X's shape, got " + MathSupport.shapes(x, scale)
                        + (bias == null ? "" : ", " + MathSupport.shapes(bias)));
            }
        }
        if (Arrays.stream(normShape).anyMatch(d -> d == 0)) {
            throw op.error("cannot normalise over empty axes: " + MathSupport.shapes(x));
        }
        DataType stash = stashType(op);
        DataType compute = x.dtype() == DataType.HALF || x.dtype() == DataType.BFLOAT16 ? stash : x.dtype();
        boolean stats = op.outputCount() > 1;
        boolean exact = Arrays.equals(scale.shape(), normShape) && (bias == null || Arrays.equals(bias.shape(),
                normShape));
        Tensor xc = cast(x, compute);
        Tensor sc = cast(scale, compute);
        Tensor bc = bias == null ? null : cast(bias, compute);
        Tensor[] out = new Tensor[Math.max(1, op.outputCount())];
        if (!stats && exact) {
            out[0] = cast(F.layerNorm(xc, sc, bc, axis, eps), x.dtype());
            return out;
        }
        int[] axes = new int[x.rank() - axis];
        for (int i = 0; i < axes.length; i++) {
            axes[i] = axis + i;
        }
        Tensor mean = F.mean(xc, true, axes);
        Tensor d = F.sub(xc, mean);
        Tensor var = F.mean(F.mul(d, d), true, axes);
        Tensor invStd = F.pow(F.add(var, eps), -0.5);
        Tensor y = F.mul(F.mul(d, invStd), sc);
        if (bc != null) {
            y = F.add(y, bc);
        }
        out[0] = cast(y, x.dtype());
        if (out.length > 1) {
            out[1] = mean;
        }
        if (out.length > 2) {
            out[2] = invStd;
        }
        return out;
    }

    private static DataType stashType(OnnxOp op) {
        long s = op.attr("stash_type", 1L);
        DataType t;
        try {
            t = OnnxTypes.toNd4j(s);
        } catch (IllegalArgumentException e) {
            throw op.error("stash_type " + s + " is not supported");
        }
        if (!t.isFPType()) {
            throw op.error("stash_type " + s + " is not a floating-point type");
        }
        return t;
    }

    private static Tensor cast(Tensor t, DataType to) {
        return t.dtype() == to ? t : F.cast(t, to);
    }
}

package dev.dendrite.cnn.ops;

import dev.dendrite.onnx.OnnxBuilder;
import dev.dendrite.tensor.Function;
import dev.dendrite.tensor.Kernels;
import dev.dendrite.tensor.ShapeException;
import dev.dendrite.tensor.Shapes;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Resizing [N, C, H, W] by a scale factor with PyTorch's {@code interpolate} semantics: output size
 * ⌊H·s⌋ × ⌊W·s⌋; "nearest" reads source index ⌊o/s⌋, "bilinear" (align_corners false) the half-pixel
 * source o' = (o + ½)/s − ½, clamped at 0.
 *
 * <p>Nearest with an integer factor is libnd4j's {@code upsampling2d} and {@code upsampling2d_bp}. Any other
 * case is a linear map that acts on rows and columns separately, Y = A_h·X·A_wᵀ with small interpolation
 * matrices A, so forward and backward (A_hᵀ·G·A_w) are native matmuls; libnd4j has no backward for its
 * {@code resize_bilinear}.
 */
final class Upsample extends Function {
    private final double scale;
    private final boolean bilinear;

    private INDArray x;
    private long[] xShape;
    private boolean integerNearest;
    private INDArray rowsMatrix;
    private INDArray colsMatrix;

    Upsample(double scale, boolean bilinear) {
        if (!(scale > 0) || Double.isInfinite(scale)) {
            throw new ShapeException("upsample2d: the scale factor must be a positive number, got " + scale);
        }
        this.scale = scale;
        this.bilinear = bilinear;
    }

    @Override
    public String name() {
        return "upsample2d";
    }

    @Override
    protected INDArray[] forward(INDArray[] in) {
        String op = name();
        if (in.length != 1) {
            throw new ShapeException(op + ": expected 1 input, got " + in.length);
        }
        x = in[0];
        Window.requireInput(op, x, 2, "C");
        xShape = x.shape();
        long oH = (long) Math.floor(x.size(2) * scale);
        long oW = (long) Math.floor(x.size(3) * scale);
        if (oH <= 0 || oW <= 0) {
            throw new ShapeException(op + ": scale factor " + scale + " makes the output of input " + Shapes.str(xShape)
                    + " empty (" + oH + "x" + oW + ")");
        }
        DataType type = x.dataType();
        long[] outShape = {x.size(0), x.size(1), oH, oW};
        if (x.length() == 0) {
            return new INDArray[] {Nd4j.zeros(type, outShape)};
        }
        integerNearest = !bilinear && scale == Math.rint(scale);
        if (integerNearest) {
            long f = (long) scale;
            // iArgs: factor H, factor W, 1 = NCHW (this op's flag is the reverse of the conv ops').
            return new INDArray[] {Kernels.exec("upsampling2d", Kernels.empty(type, outShape), new long[] {f, f, 1}, x)};
        }
        rowsMatrix = interpolation(type, x.size(2), oH);
        colsMatrix = interpolation(type, x.size(3), oW);
        return new INDArray[] {separable(x, rowsMatrix, colsMatrix, false)};
    }

    /** The [out, in] matrix taking a line of {@code in} samples to {@code out}, as PyTorch's kernels index it. */
    private INDArray interpolation(DataType type, long in, long out) {
        double[][] a = new double[(int) out][(int) in];
        for (int o = 0; o < out; o++) {
            if (bilinear) {
                double src = Math.max(0, (o + 0.5) / scale - 0.5);
                int i0 = (int) src;
                int i1 = i0 < in - 1 ? i0 + 1 : i0;
                double lambda = src - i0;
                a[o][i0] += 1 - lambda;
                a[o][i1] += lambda;
            } else {
                a[o][(int) Math.min((long) Math.floor(o / scale), in - 1)] = 1;
            }
        }
        return Nd4j.createFromArray(a).castTo(type);
    }

    /** rows·x·colsᵀ over the last two dims of x [N, C, H, W] (transposed matrices when {@code adjoint}). */
    private static INDArray separable(INDArray x, INDArray rows, INDArray cols, boolean adjoint) {
        long n = x.size(0);
        long c = x.size(1);
        long h = x.size(2);
        long w = x.size(3);
        long oH = adjoint ? rows.size(1) : rows.size(0);
        long oW = adjoint ? cols.size(1) : cols.size(0);
        // Columns first: [N·C·H, W]·colsᵀ → [N·C·H, oW].
        INDArray t = Kernels.matmul(x.reshape('c', n * c * h, w), cols, false, !adjoint);
        // Then rows, with H moved last: [N·C·oW, H]·rowsᵀ → [N·C·oW, oH].
        INDArray tt = t.reshape('c', n * c, h, oW).permute(0, 2, 1).dup('c').reshape('c', n * c * oW, h);
        INDArray y = Kernels.matmul(tt, rows, false, !adjoint);
        return y.reshape('c', n, c, oW, oH).permute(0, 1, 3, 2).dup('c');
    }

    @Override
    protected INDArray[] backward(INDArray[] gradOut) {
        if (!needsGrad(0)) {
            return new INDArray[] {null};
        }
        INDArray g = gradOut[0];
        if (Shapes.numel(xShape) == 0) {
            return new INDArray[] {Nd4j.zeros(g.dataType(), xShape)};
        }
        if (integerNearest) {
            INDArray gx = Kernels.empty(g.dataType(), xShape);
            // upsampling2d_bp reads the input for its shape; iArg 0: 1 = NCHW.
            Kernels.exec("upsampling2d_bp", new INDArray[] {x, g}, new INDArray[] {gx}, new long[] {1}, null, null);
            return new INDArray[] {gx};
        }
        return new INDArray[] {separable(g, rowsMatrix, colsMatrix, true)};
    }

    @Override
    public void toOnnx(OnnxBuilder onnx, String[] inputs, String[] outputs) {
        String scales = onnx.constant(Nd4j.createFromArray(new float[] {1, 1, (float) scale, (float) scale}));
        Map<String, Object> attributes = bilinear
                ? Map.of("mode", "linear", "coordinate_transformation_mode", "pytorch_half_pixel")
                : Map.of("mode", "nearest", "coordinate_transformation_mode", "asymmetric", "nearest_mode", "floor");
        // Inputs X, roi (unused, left empty), scales.
        onnx.node("Resize", new String[] {inputs[0], "", scales}, outputs, attributes);
    }
}

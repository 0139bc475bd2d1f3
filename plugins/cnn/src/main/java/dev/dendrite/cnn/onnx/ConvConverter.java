package dev.dendrite.cnn.onnx;

import dev.dendrite.cnn.ops.CnnF;
import dev.dendrite.onnx.OnnxConverter;
import dev.dendrite.onnx.OnnxOp;
import dev.dendrite.ops.Clamp;
import dev.dendrite.ops.F;
import dev.dendrite.tensor.Tensor;
import java.util.Arrays;
import java.util.Set;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * ONNX Conv and ConvTranspose (1-D, 2-D and 3-D) on the cnn plugin's native convolution primitives.
 *
 * <p>Conv runs as {@link CnnF#conv1d}/{@link CnnF#conv2d} (explicit or auto_pad padding, strides, dilations,
 * groups). A 3-D Conv is one 2-D convolution: the depth taps each input depth position feeds are gathered
 * into the channel dim by one matmul with a 0/1 selection matrix, and the weight's depth taps are folded into
 * its input channels the same way.
 *
 * <p>ConvTranspose runs as {@link CnnF#convTranspose2d} directly when its padding is symmetric and its output
 * padding smaller than the stride (what PyTorch exports); otherwise the full, unpadded transposed
 * convolution is computed and the output window [pad_begin, pad_begin + output size) cut from it, zeros where
 * it reaches past the full output (output_shape, asymmetric pads, large output_padding), and the bias added
 * afterwards. 1-D runs as 2-D with height 1; 3-D as one 2-D transposed convolution with the depth taps folded
 * into the output channels, placed along depth by one matmul.
 */
public final class ConvConverter implements OnnxConverter {
    @Override
    public Set<String> opTypes() {
        return Set.of("Conv", "ConvTranspose");
    }

    @Override
    public Tensor[] convert(OnnxOp op, Tensor[] inputs) {
        return new Tensor[] {op.opType().equals("Conv") ? conv(op, inputs) : convTranspose(op, inputs)};
    }

    /** The group attribute (default 1), at least 1. */
    private static long group(OnnxOp op) {
        long group = op.attr("group", 1L);
        if (group < 1) {
            throw op.error("group must be >= 1, got " + group);
        }
        return group;
    }

    // ---------------------------------------------------------------- Conv

    private static Tensor conv(OnnxOp op, Tensor[] inputs) {
        Tensor x = op.input(inputs, 0, "X");
        Tensor w = op.input(inputs, 1, "W");
        Tensor b = OnnxOp.present(inputs, 2) ? inputs[2] : null;
        int n = checkRanks(op, x, w);
        long group = group(op);
        long c = x.size(1);
        long m = w.size(0);
        if (w.size(1) * group != c) {
            throw op.error("weight W " + Arrays.toString(w.shape()) + " with group " + group + " expects "
                    + w.size(1) * group + " input channels, but input X " + Arrays.toString(x.shape()) + " has " + c);
        }
        if (m == 0 || m % group != 0) {
            throw op.error("weight W " + Arrays.toString(w.shape()) + " has " + m
                    + " output channels, which must be a positive multiple of group " + group);
        }
        checkBias(op, b, m, x);
        long[] kernel = Arrays.copyOfRange(w.shape(), 2, w.rank());
        Spatial.checkKernelShape(op, kernel);
        long[] stride = Spatial.ints(op, "strides", n, 1, 1);
        long[] dilation = Spatial.ints(op, "dilations", n, 1, 1);
        long[] in = Spatial.spatialShape(x);
        long[][] pads = Spatial.pads(op, in, kernel, stride, dilation);
        long[] outShape = new long[n + 2];
        outShape[0] = x.size(0);
        outShape[1] = m;
        for (int i = 0; i < n; i++) {
            if (in[i] == 0) {
                throw op.error("input X " + Arrays.toString(x.shape()) + " has an empty spatial dim");
            }
            outShape[i + 2] = Spatial.outSize(op, i, in[i], pads[0][i], pads[1][i], kernel[i], stride[i], dilation[i],
                    false);
        }
        op.checkShape(outShape, "Conv output");
        Clamp clamp = op.clamp();
        if (x.size(0) == 0) {
            return clamped(Spatial.zeros(x.dtype(), outShape), clamp);
        }
        return switch (n) {
            case 1 -> clamped(CnnF.conv1d(x, w, b, stride[0], pads[0][0], pads[1][0], dilation[0], group), clamp);
            case 2 -> CnnF.conv2d(x, w, b, stride, new long[] {pads[0][0], pads[0][1], pads[1][0], pads[1][1]},
                    dilation, group, clamp);
            default -> clamped(conv3d(x, w, b, stride, pads, dilation, group, outShape), clamp);
        };
    }

    /** A 2-D Conv applies a fused Relu or Clip as it writes its output; the others apply it after. */
    @Override
    public boolean fusesClamp(OnnxOp op) {
        return op.opType().equals("Conv");
    }

    /** y with the fused activation applied as its own node, as the unfused graph would (null clamp: y). */
    private static Tensor clamped(Tensor y, Clamp clamp) {
        if (clamp == null) {
            return y;
        }
        return clamp.equals(Clamp.RELU) ? F.relu(y) : F.clip(y, clamp.min(), clamp.max());
    }

    /**
     * y[n, m, od] = Σ_kd conv2d(x[n, :, od·s + kd·d − p], w[:, :, kd]): the kD selected depth slices become
     * input channels (ordered group, tap, channel) of one grouped 2-D convolution over [N·oD, kD·C, H, W].
     */
    private static Tensor conv3d(Tensor x, Tensor w, Tensor b, long[] stride, long[][] pads, long[] dilation,
            long group, long[] outShape) {
        long c = x.size(1);
        long d = x.size(2);
        long h = x.size(3);
        long wd = x.size(4);
        long m = w.size(0);
        long cg = w.size(1);
        long kd = w.size(2);
        long od = outShape[2];
        // select[i, t·oD + o] = 1 where input depth i is tap t of output depth o.
        double[][] select = new double[(int) d][(int) (kd * od)];
        for (int t = 0; t < kd; t++) {
            for (int o = 0; o < od; o++) {
                long i = o * stride[0] + t * dilation[0] - pads[0][0];
                if (i >= 0 && i < d) {
                    select[(int) i][(int) (t * od + o)] = 1;
                }
            }
        }
        Tensor q = Tensor.of(Nd4j.createFromArray(select).castTo(x.dtype()));
        // [N, C, H, W, D] · select → [N, g, C/g, H, W, kD, oD] → [N, oD, g, kD, C/g, H, W].
        Tensor xs = Spatial.alongAxis(F.permute(x, 0, 1, 3, 4, 2), 4, q);
        xs = F.reshape(xs, -1, group, cg, h, wd, kd, od);
        xs = F.permute(xs, 0, 6, 1, 5, 2, 3, 4);
        xs = F.reshape(xs, -1, group * kd * cg, h, wd);
        Tensor w2 = F.reshape(F.permute(w, 0, 2, 1, 3, 4), m, kd * cg, w.size(3), w.size(4));
        Tensor y = CnnF.conv2d(xs, w2, null, new long[] {stride[1], stride[2]},
                new long[] {pads[0][1], pads[0][2], pads[1][1], pads[1][2]}, new long[] {dilation[1], dilation[2]},
                group);
        y = F.permute(F.reshape(y, -1, od, m, y.size(2), y.size(3)), 0, 2, 1, 3, 4);
        return b == null ? y : F.add(y, Spatial.perChannel(b, 5));
    }

    // ---------------------------------------------------------------- ConvTranspose

    private static Tensor convTranspose(OnnxOp op, Tensor[] inputs) {
        Tensor x = op.input(inputs, 0, "X");
        Tensor w = op.input(inputs, 1, "W");
        Tensor b = OnnxOp.present(inputs, 2) ? inputs[2] : null;
        int n = checkRanks(op, x, w);
        long group = group(op);
        long c = x.size(1);
        if (w.size(0) != c || c % group != 0) {
            throw op.error("weight W " + Arrays.toString(w.shape()) + " expects " + w.size(0)
                    + " input channels (a multiple of group " + group + "), but input X " + Arrays.toString(x.shape())
                    + " has " + c);
        }
        long m = w.size(1) * group;
        if (m == 0) {
            throw op.error("weight W " + Arrays.toString(w.shape()) + " has no output channels");
        }
        checkBias(op, b, m, x);
        long[] kernel = Arrays.copyOfRange(w.shape(), 2, w.rank());
        Spatial.checkKernelShape(op, kernel);
        long[] stride = Spatial.ints(op, "strides", n, 1, 1);
        long[] dilation = Spatial.ints(op, "dilations", n, 1, 1);
        long[] outPad = Spatial.ints(op, "output_padding", n, 0, 0);
        long[] outputShape = op.attr("output_shape", (long[]) null);
        if (outputShape != null && outputShape.length == 0) {
            outputShape = null;
        }
        if (outputShape != null) {
            if (outputShape.length == n + 2) {
                outputShape = Arrays.copyOfRange(outputShape, 2, n + 2);
            } else if (outputShape.length != n) {
                throw op.error("attribute output_shape must have " + n + " values, got "
                        + Arrays.toString(outputShape));
            }
        }
        String auto = op.attr("auto_pad", "NOTSET");
        long[] padsAttr = switch (auto) {
            case "NOTSET" -> Spatial.ints(op, "pads", 2 * n, 0, 0);
            case "VALID", "SAME_UPPER", "SAME_LOWER" -> new long[2 * n];
            default -> throw op.error("auto_pad '" + auto
                    + "' is not supported (NOTSET, SAME_UPPER, SAME_LOWER, VALID)");
        };
        boolean same = auto.startsWith("SAME");
        long[] in = Spatial.spatialShape(x);
        long[] full = new long[n];
        long[] begin = new long[n];
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            if (in[i] == 0) {
                throw op.error("input X " + Arrays.toString(x.shape()) + " has an empty spatial dim");
            }
            full[i] = (in[i] - 1) * stride[i] + (kernel[i] - 1) * dilation[i] + 1;
            if (same) {
                out[i] = outputShape != null ? outputShape[i] : in[i] * stride[i];
                long total = full[i] + outPad[i] - out[i];
                long half = Math.floorDiv(total, 2);
                begin[i] = auto.equals("SAME_UPPER") ? half : total - half;
            } else {
                begin[i] = padsAttr[i];
                out[i] = outputShape != null ? outputShape[i] : full[i] + outPad[i] - padsAttr[i] - padsAttr[n + i];
            }
            if (out[i] <= 0) {
                throw op.error("the output size along spatial dim " + i + " would be " + out[i] + " <= 0 for input "
                        + Arrays.toString(x.shape()));
            }
        }
        long[] outShape = new long[n + 2];
        outShape[0] = x.size(0);
        outShape[1] = m;
        System.arraycopy(out, 0, outShape, 2, n);
        op.checkShape(outShape, "ConvTranspose output");
        long[] fullShape = outShape.clone();
        System.arraycopy(full, 0, fullShape, 2, n);
        op.checkShape(fullShape, "ConvTranspose unpadded output");
        if (x.size(0) == 0) {
            return Spatial.zeros(x.dtype(), outShape);
        }
        if (n == 2 && native2d(begin, out, full, stride, dilation)) {
            long[] p = {begin[0], begin[1]};
            long[] o = {out[0] - full[0] + 2 * begin[0], out[1] - full[1] + 2 * begin[1]};
            return CnnF.convTranspose2d(x, w, b, stride, p, o, dilation, group);
        }
        Tensor y;
        int first;
        if (n == 3) {
            y = fullDepthPlaced(x, w, stride, dilation, group, begin[0], out[0]);
            first = 1;
        } else if (n == 2) {
            y = CnnF.convTranspose2d(x, w, null, stride, new long[2], new long[2], dilation, group);
            first = 0;
        } else {
            Tensor y4 = CnnF.convTranspose2d(F.unsqueeze(x, 2), F.unsqueeze(w, 2), null, new long[] {1, stride[0]},
                    new long[2], new long[2], new long[] {1, dilation[0]}, group);
            y = F.squeeze(y4, 2);
            first = 0;
        }
        for (int i = first; i < n; i++) {
            y = Spatial.window(y, i + 2, begin[i], out[i]);
        }
        return b == null ? y : F.add(y, Spatial.perChannel(b, n + 2));
    }

    /** Whether the native primitive's symmetric padding and small output padding give exactly this window. */
    private static boolean native2d(long[] begin, long[] out, long[] full, long[] stride, long[] dilation) {
        for (int i = 0; i < 2; i++) {
            long outputPadding = out[i] - full[i] + 2 * begin[i];
            if (begin[i] < 0 || outputPadding < 0 || outputPadding >= Math.max(stride[i], dilation[i])) {
                return false;
            }
        }
        return true;
    }

    /**
     * The 3-D transposed convolution, full along H and W and already windowed along depth: one 2-D transposed
     * convolution over [N·D, C, H, W] whose output channels are (group, depth tap, channel), then each depth
     * tap's slab placed at depth i·s + t·d − begin by one matmul.
     */
    private static Tensor fullDepthPlaced(Tensor x, Tensor w, long[] stride, long[] dilation, long group,
            long begin, long outDepth) {
        long c = x.size(1);
        long d = x.size(2);
        long mg = w.size(1);
        long kd = w.size(2);
        Tensor x2 = F.reshape(F.permute(x, 0, 2, 1, 3, 4), -1, c, x.size(3), x.size(4));
        Tensor w2 = F.reshape(F.permute(w, 0, 2, 1, 3, 4), c, kd * mg, w.size(3), w.size(4));
        Tensor y = CnnF.convTranspose2d(x2, w2, null, new long[] {stride[1], stride[2]}, new long[2], new long[2],
                new long[] {dilation[1], dilation[2]}, group);
        long hf = y.size(2);
        long wf = y.size(3);
        // [N·D, g·kD·Mg, Hf, Wf] → [N, D, g, kD, Mg, Hf, Wf] → [N, g, Mg, Hf, Wf, D, kD] → [N·M·Hf·Wf, D·kD].
        y = F.reshape(y, -1, d, group, kd, mg, hf, wf);
        y = F.permute(y, 0, 2, 4, 5, 6, 1, 3);
        y = F.reshape(y, -1, group * mg, hf, wf, d * kd);
        double[][] place = new double[(int) (d * kd)][(int) outDepth];
        for (int i = 0; i < d; i++) {
            for (int t = 0; t < kd; t++) {
                long o = i * stride[0] + t * dilation[0] - begin;
                if (o >= 0 && o < outDepth) {
                    place[(int) (i * kd + t)][(int) o] = 1;
                }
            }
        }
        INDArray p = Nd4j.createFromArray(place).castTo(x.dtype());
        y = Spatial.alongAxis(y, 4, Tensor.of(p));
        return F.permute(y, 0, 1, 4, 2, 3);
    }

    // ---------------------------------------------------------------- shared checks

    /** X of rank 3..5 (1-D to 3-D), a floating dtype, and W of the same rank; returns the spatial rank. */
    private static int checkRanks(OnnxOp op, Tensor x, Tensor w) {
        if (x.rank() < 3 || x.rank() > 5) {
            throw op.error("expected input X [N, C, D1, ...] with 1 to 3 spatial dims, got shape "
                    + Arrays.toString(x.shape()));
        }
        if (w.rank() != x.rank()) {
            throw op.error("weight W must have rank " + x.rank() + " like X " + Arrays.toString(x.shape())
                    + ", got shape " + Arrays.toString(w.shape()));
        }
        DataType t = x.dtype();
        if (!t.isFPType() || w.dtype() != t) {
            throw op.error("X and W must have the same floating dtype, got " + t + " and " + w.dtype());
        }
        for (long s : w.shape()) {
            if (s == 0) {
                throw op.error("weight W " + Arrays.toString(w.shape()) + " has an empty dim");
            }
        }
        if (x.size(1) == 0) {
            throw op.error("input X " + Arrays.toString(x.shape()) + " has no channels");
        }
        return x.rank() - 2;
    }

    private static void checkBias(OnnxOp op, Tensor b, long m, Tensor x) {
        if (b != null && (b.rank() != 1 || b.size(0) != m || b.dtype() != x.dtype())) {
            throw op.error("bias B must be a [" + m + "] " + x.dtype() + " vector, got " + b.dtype()
                    + Arrays.toString(b.shape()));
        }
    }
}

package dev.dendrite.onnxbridge.ops.shape;

import dev.dendrite.onnx.OnnxConverter;
import dev.dendrite.onnx.OnnxOp;
import dev.dendrite.ops.F;
import dev.dendrite.tensor.Tensor;
import java.util.Arrays;
import java.util.Set;

/** Transpose, and DepthToSpace as reshape → transpose → reshape (so it is differentiable for free). */
public final class TransposeConverter implements OnnxConverter {
    @Override
    public Set<String> opTypes() {
        return Set.of("Transpose", "DepthToSpace");
    }

    @Override
    public Tensor[] convert(OnnxOp op, Tensor[] inputs) {
        Tensor x = op.input(inputs, 0, "data");
        return new Tensor[] {op.opType().equals("Transpose") ? transpose(op, x) : depthToSpace(op, x)};
    }

    private static Tensor transpose(OnnxOp op, Tensor x) {
        int r = x.rank();
        int[] perm = new int[r];
        long[] given = op.attr("perm", (long[]) null);
        if (given == null) {
            for (int i = 0; i < r; i++) {
                perm[i] = r - 1 - i;
            }
        } else {
            if (given.length != r) {
                throw op.error("perm " + Arrays.toString(given) + " has " + given.length + " entries, input "
                        + Arrays.toString(x.shape()) + " has rank " + r);
            }
            boolean[] seen = new boolean[r];
            for (int i = 0; i < r; i++) {
                if (given[i] < 0 || given[i] >= r || seen[(int) given[i]]) {
                    throw op.error("perm " + Arrays.toString(given) + " is not a permutation of 0.." + (r - 1));
                }
                seen[(int) given[i]] = true;
                perm[i] = (int) given[i];
            }
        }
        return ShapeArgs.permute(x, perm);
    }

    private static Tensor depthToSpace(OnnxOp op, Tensor x) {
        long b = op.require("blocksize", Long.class);
        String mode = op.attr("mode", "DCR");
        long[] s = x.shape();
        if (s.length != 4) {
            throw op.error("expects a rank-4 NCHW input, got " + Arrays.toString(s));
        }
        if (b <= 0 || b > s[1]) {
            throw op.error("blocksize " + b + " is invalid for " + Arrays.toString(s));
        }
        long c = s[1] / (b * b);
        if (c * b * b != s[1]) {
            throw op.error("channels " + s[1] + " are not divisible by blocksize² = " + b * b);
        }
        long[] split;
        int[] perm;
        switch (mode) {
            case "DCR" -> {
                split = new long[] {s[0], b, b, c, s[2], s[3]};
                perm = new int[] {0, 3, 4, 1, 5, 2};
            }
            case "CRD" -> {
                split = new long[] {s[0], c, b, b, s[2], s[3]};
                perm = new int[] {0, 1, 4, 2, 5, 3};
            }
            default -> throw op.error("mode '" + mode + "' is not supported (DCR or CRD)");
        }
        long[] out = {s[0], c, s[2] * b, s[3] * b};
        if (ShapeArgs.numel(s) == 0) {
            return ShapeArgs.empty(x.dtype(), out);
        }
        return F.reshape(F.permute(F.reshape(x, split), perm), out);
    }
}

package dev.dendrite.ops;

import dev.dendrite.onnx.OnnxBuilder;
import dev.dendrite.tensor.Function;
import dev.dendrite.tensor.Kernels;
import dev.dendrite.tensor.ShapeException;
import java.util.Arrays;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Axis permutation (ONNX Transpose); backward applies the inverse permutation. */
final class Permute extends Function {
    private final int[] perm;

    Permute(int... perm) {
        this.perm = perm.clone();
    }

    @Override
    public String name() {
        return "permute";
    }

    @Override
    protected INDArray[] forward(INDArray[] in) {
        int r = in[0].rank();
        boolean[] seen = new boolean[r];
        if (perm.length != r) {
            throw new ShapeException("permute: permutation " + Arrays.toString(perm) + " has " + perm.length
                    + " axes, input " + Arrays.toString(in[0].shape()) + " has rank " + r);
        }
        for (int p : perm) {
            if (p < 0 || p >= r || seen[p]) {
                throw new ShapeException("permute: " + Arrays.toString(perm) + " is not a permutation of 0.." + (r - 1)
                        + " for input " + Arrays.toString(in[0].shape()));
            }
            seen[p] = true;
        }
        // A contiguous copy: later kernels then never meet exotic strides.
        return new INDArray[] {Kernels.permute(in[0], perm)};
    }

    @Override
    protected INDArray[] backward(INDArray[] g) {
        if (!needsGrad(0)) {
            return new INDArray[] {null};
        }
        int[] inverse = new int[perm.length];
        for (int i = 0; i < perm.length; i++) {
            inverse[perm[i]] = i;
        }
        return new INDArray[] {Kernels.permute(g[0], inverse)};
    }

    @Override
    public void toOnnx(OnnxBuilder onnx, String[] inputs, String[] outputs) {
        onnx.node("Transpose", inputs, outputs, Map.of("perm", Arrays.stream(perm).asLongStream().toArray()));
    }
}

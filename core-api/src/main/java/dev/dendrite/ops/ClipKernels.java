package dev.dendrite.ops;

import dev.dendrite.tensor.HostArrays;
import dev.dendrite.tensor.Kernels;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * clip(x, min, max) and its gradient as Java loops over float32 ({@link Kernels#host}): libnd4j's
 * {@code clipbyvalue} calls a {@code std::function} per element, and was half of MobileNetV2's inference time
 * here (ReLU6 after every convolution); these loops vectorise. NaN passes through the forward, as in
 * clipbyvalue and PyTorch; the gradient passes where min ≤ x ≤ max.
 */
final class ClipKernels {
    private ClipKernels() {}

    /** Inputs {x}, output {clip(x)}. */
    record Forward(float min, float max) implements Kernels.HostKernel {
        @Override
        public void run(INDArray[] in, INDArray[] out) {
            int n = (int) in[0].length();
            float[] x = HostArrays.read(in[0], 0);
            float[] y = HostArrays.scratch(1, n);
            for (int i = 0; i < n; i++) {
                y[i] = Clamp.apply(x[i], min, max); // only −0.0 at min = 0 becomes +0.0
            }
            HostArrays.write(y, out[0]);
        }
    }

    /**
     * Inputs {v, dL/dy}, output dL/dy where v is inside the bounds, else 0: [min, max] when {@code inclusive} (clip,
     * from its input), (min, max) otherwise ({@link Clamp}, from its output).
     */
    record Backward(float min, float max, boolean inclusive) implements Kernels.HostKernel {
        @Override
        public void run(INDArray[] in, INDArray[] out) {
            int n = (int) in[0].length();
            float[] v = HostArrays.read(in[0], 0);
            float[] g = HostArrays.read(in[1], 1);
            float[] d = HostArrays.scratch(2, n);
            for (int i = 0; i < n; i++) {
                boolean inside = inclusive ? v[i] >= min && v[i] <= max : v[i] > min && v[i] < max;
                d[i] = inside ? g[i] : 0f;
            }
            HostArrays.write(d, out[0]);
        }
    }
}

package dev.dendrite.cnn.ops;

import dev.dendrite.tensor.Kernels;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** The native calls the CNN primitives share: padding and cropping NCHW arrays, and the convolution kernels. */
final class Native {
    private Native() {}

    /**
     * Runs {@code conv2d}, {@code depthwise_conv2d} or their {@code _bp}s, on libnd4j's own kernel when
     * {@code withoutOneDnn}: a dilated one must (ND4J M2.1's oneDNN helper rejects every float32 convolution with
     * dilation > 1, "could not create a descriptor for a dilated convolution"), and a backward with very many
     * weights should (see Conv).
     */
    static void conv(String op, INDArray[] inputs, INDArray[] outputs, long[] iArgs, boolean withoutOneDnn) {
        Kernels.exec(op, inputs, outputs, iArgs, null, null, !withoutOneDnn);
    }

    /**
     * {@code x} [N, C, H, W] with {@code pads} = {top, left, bottom, right} added (positive) or removed
     * (negative) around its spatial dims; added cells hold {@code value}. Returns x itself when all are 0.
     */
    static INDArray padOrCrop(INDArray x, long[] pads, double value) {
        long top = pads[0];
        long left = pads[1];
        long bottom = pads[2];
        long right = pads[3];
        INDArray a = x;
        if (top < 0 || left < 0 || bottom < 0 || right < 0) {
            long h = a.size(2);
            long w = a.size(3);
            a = a.get(NDArrayIndex.all(), NDArrayIndex.all(),
                    NDArrayIndex.interval(Math.max(0, -top), h - Math.max(0, -bottom)),
                    NDArrayIndex.interval(Math.max(0, -left), w - Math.max(0, -right)));
            a = Kernels.copy(a);
        }
        if (top > 0 || left > 0 || bottom > 0 || right > 0) {
            long t = Math.max(0, top);
            long l = Math.max(0, left);
            long b = Math.max(0, bottom);
            long r = Math.max(0, right);
            INDArray out = Kernels.empty(a.dataType(), a.size(0), a.size(1), a.size(2) + t + b, a.size(3) + l + r);
            INDArray paddings = Nd4j.createFromArray(new long[][] {{0, 0}, {0, 0}, {t, b}, {l, r}});
            // iArg 0 = CONSTANT mode, tArg 0 = the fill value.
            Kernels.exec("pad", new INDArray[] {a, paddings}, new INDArray[] {out}, new long[] {0}, new double[] {value},
                    null);
            a = out;
        }
        return a;
    }

    static long[] negate(long[] pads) {
        long[] n = new long[pads.length];
        for (int i = 0; i < pads.length; i++) {
            n[i] = -pads[i];
        }
        return n;
    }

    /** A fresh contiguous copy of x[:, from:to] (channels), for one group of a grouped convolution. */
    static INDArray channels(INDArray x, long from, long to) {
        return Kernels.copy(x.get(NDArrayIndex.all(), NDArrayIndex.interval(from, to)));
    }

    /** A fresh contiguous copy of x[from:to] along the first axis. */
    static INDArray rows(INDArray x, long from, long to) {
        return Kernels.copy(x.get(NDArrayIndex.interval(from, to)));
    }

    /** Σ over every axis except 1: a bias's gradient from the output's (the spatial axes, then the batch). */
    static INDArray sumPerChannel(INDArray g) {
        INDArray perImage = g;
        if (g.rank() > 2) {
            long[] spatial = new long[g.rank() - 2];
            for (int d = 2; d < g.rank(); d++) {
                spatial[d - 2] = d;
            }
            perImage = Kernels.reduceSum(Kernels.empty(g.dataType(), g.size(0), g.size(1)), g, false, spatial);
        }
        return Kernels.reduceSum(Kernels.empty(g.dataType(), g.size(1)), perImage, false, 0);
    }

    /**
     * A native reduction ({@code reduce_sum}, {@code reduce_mean}, {@code reduce_variance}: biased) over every
     * axis but the channels, into a [C] array. ND4J's INDArray.sum/mean/var take a legacy path that is ~10×
     * slower at batch-norm sizes ([64,16,28,28] variance: 4.5 ms against 0.4 ms).
     */
    static INDArray reducePerChannel(String op, INDArray x) {
        long[] axes = new long[x.rank() - 1];
        for (int d = 2; d < x.rank(); d++) {
            axes[d - 1] = d;
        }
        return Kernels.exec(op, Kernels.empty(x.dataType(), x.size(1)), axes, x);
    }

    /** A [C] vector shaped to broadcast along axis 1 of a rank-{@code rank} array: [1, C, 1, ...]. */
    static INDArray perChannel(INDArray v, int rank) {
        long[] shape = new long[rank];
        java.util.Arrays.fill(shape, 1);
        shape[1] = v.length();
        return v.reshape('c', shape);
    }

    /** A broadcasting native binary op ("add", "multiply", ...) into a fresh array shaped like {@code a}. */
    static INDArray binary(String op, INDArray a, INDArray b) {
        return Kernels.exec(op, Kernels.empty(a.dataType(), a.shape()), a, b);
    }
}

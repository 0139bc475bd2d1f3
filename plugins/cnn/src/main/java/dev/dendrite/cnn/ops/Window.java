package dev.dendrite.cnn.ops;

import dev.dendrite.tensor.ShapeException;
import dev.dendrite.tensor.Shapes;
import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Shape arithmetic of sliding windows (convolution and pooling), and the checks run before a native call. */
final class Window {
    private Window() {}

    /** The layout in messages: [N, C, L] for 1-D ops, [N, C, H, W] for 2-D ones. */
    static String layout(int spatial, String channels) {
        return spatial == 1 ? "[N, " + channels + ", L]" : "[N, " + channels + ", H, W]";
    }

    /**
     * A floating input of rank 2 + spatial whose channel and spatial dims are not empty (only the batch may be),
     * or a ShapeException naming the op and the expected layout.
     */
    static void requireInput(String op, INDArray x, int spatial, String channels) {
        Shapes.requireFloating(op, x);
        if (x.rank() != spatial + 2) {
            throw new ShapeException(op + ": expected a rank-" + (spatial + 2) + " input " + layout(spatial, channels)
                    + ", got shape " + Shapes.str(x.shape()));
        }
        for (int d = 1; d < x.rank(); d++) {
            if (x.size(d) == 0) {
                throw new ShapeException(op + ": expected an input " + layout(spatial, channels)
                        + " with non-empty channel and spatial dims, got shape " + Shapes.str(x.shape()));
            }
        }
    }

    /**
     * Output size of one spatial dim: ⌊(in + padBefore + padAfter − dilation·(k − 1) − 1)/stride⌋ + 1, or a
     * ShapeException when the (dilated) kernel does not fit into the padded input.
     */
    static long outSize(String op, long[] inputShape, int dim, long in, long padBefore, long padAfter, long kernel,
            long stride, long dilation) {
        long effective = dilation * (kernel - 1) + 1;
        long padded = in + padBefore + padAfter;
        if (padded < effective) {
            throw new ShapeException(op + ": the kernel (" + kernel + (dilation > 1 ? ", dilated to " + effective : "")
                    + ") is larger than the padded input (" + in + " + " + padBefore + " + " + padAfter + " = " + padded
                    + ") along spatial dim " + dim + " of input " + Shapes.str(inputShape)
                    + "; the output size would be <= 0");
        }
        return (padded - effective) / stride + 1;
    }

    /**
     * PyTorch's pooling output size: like {@link #outSize} with symmetric padding, rounded up in ceil mode,
     * where a last window that would start in the right padding is dropped.
     */
    static long poolOutSize(String op, long[] inputShape, int dim, long in, long pad, long kernel, long stride,
            boolean ceil) {
        long padded = in + 2 * pad;
        if (padded < kernel) {
            throw new ShapeException(op + ": the kernel (" + kernel + ") is larger than the padded input (" + in + " + 2*"
                    + pad + " = " + padded + ") along spatial dim " + dim + " of input " + Shapes.str(inputShape)
                    + "; the output size would be <= 0");
        }
        long span = padded - kernel;
        long out = (ceil ? Math.floorDiv(span + stride - 1, stride) : span / stride) + 1;
        if (ceil && (out - 1) * stride >= in + pad) {
            out--;
        }
        return out;
    }

    /** Native iArgs of libnd4j's 2-D conv and pool ops: kH, kW, sH, sW, pH, pW, dH, dW, same-mode, then extras. */
    static long[] iArgs(long[] kernel, long[] stride, long[] pad, long[] dilation, long... extra) {
        long[] a = Arrays.copyOf(new long[] {kernel[0], kernel[1], stride[0], stride[1], pad[0], pad[1], dilation[0],
            dilation[1], 0}, 9 + extra.length);
        System.arraycopy(extra, 0, a, 9, extra.length);
        return a;
    }

    static String pair(long[] v) {
        return v[0] + "x" + v[1];
    }
}

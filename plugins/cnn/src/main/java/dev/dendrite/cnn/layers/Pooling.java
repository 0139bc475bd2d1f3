package dev.dendrite.cnn.layers;

import dev.dendrite.tensor.ShapeException;

/** The config rules pooling layers share (PyTorch's). */
final class Pooling {
    private Pooling() {}

    static void check(String id, Size2d kernel, Size2d stride, Size2d padding, String config) {
        if (kernel == null || !kernel.atLeast(1) || (stride != null && !stride.atLeast(1)) || padding == null
                || !padding.atLeast(0) || padding.h() > kernel.h() / 2 || padding.w() > kernel.w() / 2) {
            throw new ShapeException(id + ": kernel and stride must be >= 1 and padding between 0 and half the kernel,"
                    + " got " + config);
        }
    }
}

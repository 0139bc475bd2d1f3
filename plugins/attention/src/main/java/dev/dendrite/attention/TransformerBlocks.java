package dev.dendrite.attention;

import dev.dendrite.ops.F;
import dev.dendrite.random.Rng;
import dev.dendrite.tensor.ShapeException;
import dev.dendrite.tensor.Tensor;

/** What the transformer layers share: config checks, the activation by name, dropout in training only. */
final class TransformerBlocks {
    private TransformerBlocks() {}

    static void check(String id, long dModel, int nhead, long dimFeedforward, double dropout, String activation,
            double eps) {
        if (dModel <= 0 || nhead <= 0 || dimFeedforward <= 0) {
            throw new ShapeException(id + ": dModel, nhead and dimFeedforward must be positive, got dModel " + dModel
                    + ", nhead " + nhead + ", dimFeedforward " + dimFeedforward);
        }
        if (dModel % nhead != 0) {
            throw new ShapeException(id + ": dModel " + dModel + " must be divisible by nhead " + nhead);
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw new ShapeException(id + ": dropout must be in [0, 1), got " + dropout);
        }
        if (!"relu".equals(activation) && !"gelu".equals(activation)) {
            throw new ShapeException(id + ": activation must be \"relu\" or \"gelu\", got \"" + activation + "\"");
        }
        if (!(eps > 0)) {
            throw new ShapeException(id + ": layerNormEps must be positive, got " + eps);
        }
    }

    /** An input in the dtype of the layer's parameters, checked here so the error names the layer, not a child. */
    static void requireDtype(String what, Tensor x, dev.dendrite.nn.Layer withParams) {
        org.nd4j.linalg.api.buffer.DataType want = withParams.parameters().values().iterator().next().dtype();
        if (x.dtype() != want) {
            throw new ShapeException("expected " + what + " of dtype " + want + " (the layer's parameters), got "
                    + x.dtype() + " " + dev.dendrite.tensor.Shapes.str(x.shape()));
        }
    }

    /** ReLU, or GELU with the exact erf (PyTorch's {@code "gelu"}). */
    static Tensor activation(String name, Tensor x) {
        return "gelu".equals(name) ? F.gelu(x) : F.relu(x);
    }

    static Tensor dropout(Tensor x, double p, boolean training, Rng rng) {
        return training && p > 0 ? F.dropout(x, p, rng.nextLong()) : x;
    }
}

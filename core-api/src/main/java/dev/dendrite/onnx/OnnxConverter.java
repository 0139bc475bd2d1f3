package dev.dendrite.onnx;

import dev.dendrite.ops.Clamp;
import dev.dendrite.tensor.Tensor;
import java.util.Set;

/**
 * Runs ONNX nodes of some op types through Dendrite primitives: the import SPI, found with
 * {@link java.util.ServiceLoader} ({@code META-INF/services/dev.dendrite.onnx.OnnxConverter}). Because a
 * converter only composes primitives, an imported graph is trainable and exports again with no extra code.
 *
 * <p>A plugin teaches the importer its own ops (or a faster version of a standard one) by shipping a
 * converter; when two converters claim the same op, the higher {@link #priority()} wins.
 */
public interface OnnxConverter {
    /** The operator-set domain: {@code ""} for ai.onnx. */
    default String domain() {
        return OnnxNode.DEFAULT_DOMAIN;
    }

    /** The op types this converter runs, e.g. {@code Conv}, {@code ConvTranspose}. */
    Set<String> opTypes();

    /** Ties between converters of the same op: the higher wins (the built-in ones use 0). */
    default int priority() {
        return 0;
    }

    /**
     * Whether this converter runs this particular node, given its decoded attributes and which of its declared
     * inputs are present. A specialised converter (a fused kernel for the common form of an op) declines the
     * forms it does not cover, and the importer falls back to the next converter of the op by priority.
     */
    default boolean accepts(OnnxOp op, boolean[] inputPresent) {
        return true;
    }

    /**
     * Whether input {@code index} of {@code opType} holds state rather than weights (BatchNormalization's
     * running mean and variance): a float initializer there becomes a buffer, not a trainable parameter.
     */
    default boolean isState(String opType, int index) {
        return false;
    }

    /**
     * Whether {@link #convert} applies {@link OnnxOp#clamp()} to this node's only output itself: the importer then
     * fuses a Relu or Clip that alone reads that output into this node (a convolution's epilogue).
     */
    default boolean fusesClamp(OnnxOp op) {
        return false;
    }

    /**
     * This node as a clamp of its first input, when it is one with these inputs (Relu; Clip with float scalar
     * bounds), so that the importer can fuse it into the node before it (a {@link #fusesClamp} node, whose float
     * output is that input); null when it is not. {@code inputs[0]} is null: it is not computed yet.
     */
    default Clamp asClamp(OnnxOp op, Tensor[] inputs) {
        return null;
    }

    /**
     * Computes the node's outputs. {@code inputs} has one entry per declared input, {@code null} for an
     * omitted optional one; return one tensor per declared output ({@code null} for an output nobody
     * asked for is allowed). Refuse what you cannot run with {@link OnnxOp#error}, and honour
     * {@link OnnxOp#opset()} where the op's signature changed between versions.
     */
    Tensor[] convert(OnnxOp op, Tensor[] inputs);
}

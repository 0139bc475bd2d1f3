package dev.dendrite.testkit;

import dev.dendrite.nn.Layer;
import dev.dendrite.tensor.Tensor;

/**
 * The conformance kit's ONNX step, provided by onnx-bridge through {@link java.util.ServiceLoader} so
 * that core-api never depends on it: a plugin adds onnx-bridge in test scope and gets the check.
 */
public interface OnnxAgreement {
    /**
     * Exports {@code layer} (in eval mode) with {@code inputs} as example inputs, runs it in ONNX Runtime
     * and returns the max abs difference to Dendrite's output; throws AssertionError above tolerance.
     */
    double check(Layer layer, Tensor... inputs);
}

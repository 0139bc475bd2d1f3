package dev.dendrite.onnx;

import dev.dendrite.tensor.DendriteException;

/**
 * An ONNX model Dendrite will not import or run: malformed, unsafe, or using something unsupported. The
 * message names the node, tensor or file at fault. ONNX files come from strangers, so every check that
 * can fail on one fails with this, before any allocation or native call.
 */
public class OnnxImportException extends DendriteException {
    public OnnxImportException(String message) {
        super(message);
    }

    public OnnxImportException(String message, Throwable cause) {
        super(message, cause);
    }
}

package dev.dendrite.tensor;

import dev.dendrite.onnx.OnnxBuilder;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A primitive: forward on arrays, backward on gradients, and how it writes itself as ONNX nodes.
 *
 * <p>A new instance is made for every call (define-by-run), so it may keep whatever forward computed
 * for backward in its own fields. Layers never subclass this; they compose primitives. A plugin adds a
 * primitive only for a fused kernel, and then inherits recording and the tape for free.
 */
public abstract class Function {
    private boolean[] needsGrad;

    /** The op's name in error messages, e.g. {@code "matmul"}. */
    public abstract String name();

    /** Checks the inputs (throwing {@link ShapeException}) and computes the outputs. */
    protected abstract INDArray[] forward(INDArray[] inputs);

    /**
     * Gradients of the inputs given the gradients of the outputs (never null: absent ones are zeros).
     * Return null for an input that needs none ({@link #needsGrad(int)} false, or not differentiable).
     */
    protected abstract INDArray[] backward(INDArray[] gradOutputs);

    /** Writes this op as ONNX nodes into the protobuf-free IR. */
    public abstract void toOnnx(OnnxBuilder onnx, String[] inputs, String[] outputs);

    /** Whether backward must compute the gradient of input {@code i}; false outside a recorded graph. */
    protected final boolean needsGrad(int i) {
        return needsGrad != null && needsGrad[i];
    }

    /** Runs forward, and records a tape node when some input requires a gradient and grad mode is on. */
    public final Tensor[] apply(Tensor... inputs) {
        INDArray[] in = new INDArray[inputs.length];
        boolean record = false;
        boolean[] need = new boolean[inputs.length];
        boolean gradOn = GradMode.isEnabled();
        for (int i = 0; i < inputs.length; i++) {
            if (inputs[i] == null) {
                throw new ShapeException(name() + ": input " + i + " is null");
            }
            in[i] = inputs[i].data();
            need[i] = gradOn && inputs[i].requiresGrad();
            record |= need[i];
        }
        if (record) {
            needsGrad = need;
        }
        INDArray[] out = forward(in);
        Tensor[] result = new Tensor[out.length];
        if (!record) {
            for (int i = 0; i < out.length; i++) {
                result[i] = new Tensor(out[i], false);
            }
            Trace.record(this, inputs, result);
            return result;
        }
        long[][] shapes = new long[out.length][];
        DataType[] types = new DataType[out.length];
        for (int i = 0; i < out.length; i++) {
            shapes[i] = out[i].shape();
            types[i] = out[i].dataType();
        }
        Node node = new Node(this, inputs.clone(), shapes, types);
        for (int i = 0; i < out.length; i++) {
            // Integer and bool outputs (indices, masks) carry no gradient.
            result[i] = types[i].isFPType() ? new Tensor(out[i], node, i) : new Tensor(out[i], false);
        }
        Trace.record(this, inputs, result);
        return result;
    }

    /** {@link #apply} for the common single-output case. */
    public final Tensor apply1(Tensor... inputs) {
        return apply(inputs)[0];
    }
}

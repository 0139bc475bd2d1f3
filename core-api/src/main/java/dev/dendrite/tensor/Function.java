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

    /**
     * Checks the inputs' <em>values</em> where a bad one would make a native kernel read out of bounds (an
     * index past the end, a class id ≥ C), throwing {@link ShapeException}. Runs before every forward, eager
     * or replayed by a compiled step (which runs no other Java code of the primitive): so it must only read
     * and throw, never compute what forward needs. Most primitives check shapes in forward and need none.
     */
    protected void check(INDArray[] inputs) {}

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
        INDArray[] out = run(inputs, in);
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

    /** forward, told to the capture of a compiled step when one is recording. */
    private INDArray[] run(Tensor[] inputs, INDArray[] in) {
        Capture capture = Capture.active();
        if (capture == null) {
            check(in);
            return forward(in);
        }
        capture.suspend();
        try {
            check(in);
        } finally {
            capture.unsuspend();
        }
        int node = capture.enter(this, inputs, in);
        INDArray[] out = null;
        try {
            out = forward(in);
            return out;
        } finally {
            capture.exit(node, out == null ? new INDArray[0] : out);
        }
    }

    final void replayCheck(INDArray[] inputs) {
        check(inputs);
    }

    /** Whether this primitive's class overrides {@link #check}: a compiled step then runs it on every replay. */
    final boolean checksValues() {
        return CHECKS.get(getClass());
    }

    private static final ClassValue<Boolean> CHECKS = new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> type) {
            for (Class<?> c = type; c != Function.class; c = c.getSuperclass()) {
                try {
                    c.getDeclaredMethod("check", INDArray[].class);
                    return true;
                } catch (NoSuchMethodException e) {
                    // keep looking up the hierarchy
                }
            }
            return false;
        }
    };

    /** Replays forward on new arrays with the gradient flags of the captured call (a compiled step's unit node). */
    final INDArray[] replayForward(INDArray[] inputs) {
        return forward(inputs);
    }

    final INDArray[] replayBackward(INDArray[] gradOutputs) {
        return backward(gradOutputs);
    }

    /** {@link #apply} for the common single-output case. */
    public final Tensor apply1(Tensor... inputs) {
        return apply(inputs)[0];
    }
}

package dev.dendrite.tensor;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What one eager step ran, recorded on this thread: every primitive application (a node, with the arrays it
 * read and wrote) and every native call made through {@link Kernels}, attributed to the node and phase that
 * made it. A {@link Plan} is built from this; nothing here changes what the eager step computes.
 */
final class Capture implements AutoCloseable {
    private static final ThreadLocal<Capture> ACTIVE = new ThreadLocal<>();

    /** Calls made by the engine itself between nodes (gradient seeds, accumulation) or by layer code. */
    static final int GLUE = -1;

    enum Phase { FORWARD, BACKWARD }

    /** One native call, or a Java kernel's ({@code host} set), with the very arrays it was given. */
    record Call(String op, INDArray[] in, INDArray[] out, long[] iArgs, double[] tArgs, boolean[] bArgs,
            org.nd4j.linalg.api.buffer.DataType[] dArgs, boolean helpers, boolean oneThread, Long seed, int node,
            Phase phase, Kernels.HostKernel host) {}

    /** One top-level primitive application and, once backward reached it, its gradients. */
    static final class NodeRecord {
        final Function function;
        final Tensor[] tensors;
        final INDArray[] inputs;
        /** How many calls the capture held when the node's forward, and its backward, started. */
        final int forwardAt;
        int backwardAt = -1;
        int backwardSeq = -1;
        INDArray[] outputs;
        INDArray[] gradOut;
        INDArray[] gradIn;

        NodeRecord(Function function, Tensor[] tensors, INDArray[] inputs, int forwardAt) {
            this.function = function;
            this.tensors = tensors;
            this.inputs = inputs;
            this.forwardAt = forwardAt;
        }
    }

    final List<Call> calls = new ArrayList<>();
    final List<NodeRecord> nodes = new ArrayList<>();
    private final Map<Function, Integer> index = new IdentityHashMap<>();
    private final Capture previous;
    private int depth;
    private int suspended;
    private int backwardSeq;
    private int current = GLUE;
    private Phase phase = Phase.FORWARD;

    private Capture() {
        this.previous = ACTIVE.get();
    }

    static Capture start() {
        Capture c = new Capture();
        ACTIVE.set(c);
        return c;
    }

    static Capture active() {
        return ACTIVE.get();
    }

    /**
     * A primitive starts its forward. Only top-level applications are nodes: a primitive applied inside
     * another's forward is part of that node (its native calls belong to it). Returns the node, or -1.
     */
    int enter(Function f, Tensor[] tensors, INDArray[] inputs) {
        if (depth++ > 0) {
            return GLUE;
        }
        int n = nodes.size();
        nodes.add(new NodeRecord(f, tensors.clone(), inputs.clone(), calls.size()));
        index.put(f, n);
        current = n;
        phase = Phase.FORWARD;
        return n;
    }

    void exit(int node, INDArray[] outputs) {
        depth--;
        if (node != GLUE) {
            nodes.get(node).outputs = outputs.clone();
            current = GLUE;
        }
    }

    /** Backward reaches {@code f}; returns its node, or -1 for a primitive applied outside this capture. */
    int beginBackward(Function f, INDArray[] gradOut) {
        Integer n = index.get(f);
        phase = Phase.BACKWARD;
        if (n == null) {
            current = GLUE;
            return GLUE;
        }
        nodes.get(n).gradOut = gradOut.clone();
        nodes.get(n).backwardAt = calls.size();
        nodes.get(n).backwardSeq = backwardSeq++;
        current = n;
        return n;
    }

    void endBackward(int node, INDArray[] gradIn) {
        if (node != GLUE) {
            nodes.get(node).gradIn = gradIn == null ? null : gradIn.clone();
        }
        current = GLUE;
    }

    void startBackward() {
        phase = Phase.BACKWARD;
        current = GLUE;
    }

    void call(String op, INDArray[] in, INDArray[] out, long[] i, double[] t, boolean[] b,
            org.nd4j.linalg.api.buffer.DataType[] d, boolean helpers, boolean oneThread, Long seed) {
        if (suspended > 0) {
            return;
        }
        calls.add(new Call(op, in.clone(), out.clone(), i == null ? null : i.clone(), t == null ? null : t.clone(),
                b == null ? null : b.clone(), d == null ? null : d.clone(), helpers, oneThread, seed, current, phase,
                null));
    }

    /** A {@link Kernels#host} call: replayed by running the same kernel on the planned arrays. */
    void host(String name, Kernels.HostKernel kernel, INDArray[] in, INDArray[] out) {
        if (suspended > 0) {
            return;
        }
        calls.add(new Call(Kernels.HOST_PREFIX + name, in.clone(), out.clone(), null, null, null, null, true, false,
                null, current, phase, kernel));
    }

    /** Native calls made by a primitive's input checks: run again by the plan's check step, not recorded. */
    void suspend() {
        suspended++;
    }

    void unsuspend() {
        suspended--;
    }

    /** Runs {@code work} with nothing recorded on this thread, whatever capture is active. */
    static <T> T outside(java.util.function.Supplier<T> work) {
        Capture c = ACTIVE.get();
        ACTIVE.set(null);
        try {
            return work.get();
        } finally {
            ACTIVE.set(c);
        }
    }

    /** Stops recording on this thread (between a step's forward and its backward, the caller's code runs). */
    void pause() {
        ACTIVE.set(previous);
    }

    void resume() {
        ACTIVE.set(this);
    }

    @Override
    public void close() {
        ACTIVE.set(previous);
    }
}

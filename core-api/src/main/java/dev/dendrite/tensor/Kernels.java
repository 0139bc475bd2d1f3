package dev.dendrite.tensor;

import java.util.HashMap;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Runs libnd4j's native custom ops by name into preallocated outputs.
 *
 * <p>Why this exists: building a {@code DynamicCustomOp} and letting ND4J infer and allocate its output
 * costs 8–20 µs per call here, while running a cached op through a reused {@link OpContext} costs ~1 µs.
 * Primitives compute their output shapes in Java anyway (to check them), so they allocate the outputs
 * and call in here. The cache is per thread because an {@code OpContext} is not thread safe.
 */
public final class Kernels {
    private static final ThreadLocal<Kernels> LOCAL = ThreadLocal.withInitial(Kernels::new);
    private static final long[] NO_I = new long[0];
    private static final double[] NO_T = new double[0];
    private static final boolean[] NO_B = new boolean[0];
    private static final DataType[] NO_D = new DataType[0];

    private final Map<String, DynamicCustomOp> ops = new HashMap<>();
    /**
     * One context per argument layout (counts of inputs, outputs, i/t/b args). ND4J's setters skip empty
     * argument arrays, so a context shared between layouts would hand an op the previous op's arguments
     * (matmul would read elu's alpha as its own alpha); with one layout per context every call overwrites
     * every argument it has.
     */
    private final Map<Long, OpContext> contexts = new HashMap<>();

    private Kernels() {}

    /** One call of the native op {@code name}; see libnd4j's declarations for its argument order. */
    public static void exec(String name, INDArray[] inputs, INDArray[] outputs, long[] iArgs, double[] tArgs,
            boolean[] bArgs) {
        exec(name, inputs, outputs, iArgs, tArgs, bArgs, true);
    }

    /**
     * As {@link #exec(String, INDArray[], INDArray[], long[], double[], boolean[])}, choosing whether
     * libnd4j may hand the op to a platform helper (oneDNN). Helpers are usually the fast path, but not
     * always: NCHW max pooling runs 3–6× faster without them here, and dilated float32 convolutions
     * fail with them.
     */
    public static void exec(String name, INDArray[] inputs, INDArray[] outputs, long[] iArgs, double[] tArgs,
            boolean[] bArgs, boolean helpers) {
        Kernels k = LOCAL.get();
        DynamicCustomOp op = k.ops.computeIfAbsent(name, n -> DynamicCustomOp.builder(n).build());
        long[] i = iArgs == null ? NO_I : iArgs;
        double[] t = tArgs == null ? NO_T : tArgs;
        boolean[] b = bArgs == null ? NO_B : bArgs;
        long layout = inputs.length | (long) outputs.length << 12 | (long) i.length << 24 | (long) t.length << 36
                | (long) b.length << 48 | (helpers ? 0L : 1L << 60);
        OpContext ctx = k.contexts.computeIfAbsent(layout, l -> {
            OpContext c = Nd4j.getExecutioner().buildContext();
            c.allowHelpers(helpers);
            return c;
        });
        if (!helpers) {
            ctx.allowHelpers(false); // re-asserted per call: not relying on purge() to keep the flag
        }
        ctx.setArgs(inputs, i, NO_D, t, b);
        ctx.setOutputArrays(outputs);
        try {
            Nd4j.getExecutioner().exec(op, ctx);
        } finally {
            // The native context keeps a reference to every buffer ever set on it until purged: without
            // this, every output a reused context saw stayed allocated (1.3 GB per 5,000 [256,256] adds).
            ctx.purge();
        }
    }

    /** Arrays still attached to this thread's cached contexts: 0 after every call (tests hold us to it). */
    static int retainedArrays() {
        int n = 0;
        for (OpContext c : LOCAL.get().contexts.values()) {
            n += c.getInputArrays().size() + c.getOutputArrays().size();
        }
        return n;
    }

    public static INDArray exec(String name, INDArray out, INDArray... inputs) {
        exec(name, inputs, new INDArray[] {out}, null, null, null);
        return out;
    }

    public static INDArray exec(String name, INDArray out, long[] iArgs, INDArray... inputs) {
        exec(name, inputs, new INDArray[] {out}, iArgs, null, null);
        return out;
    }

    public static INDArray empty(DataType type, long... shape) {
        return Nd4j.createUninitialized(type, shape);
    }
}

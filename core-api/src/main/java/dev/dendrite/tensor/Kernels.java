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
        run(name, inputs, outputs, iArgs, tArgs, bArgs, NO_D, helpers, false, null);
    }

    /**
     * As {@link #exec(String, INDArray[], INDArray[], long[], double[], boolean[])} on one thread (an OpenMP team
     * of one for this call, eager and replayed), for a kernel whose multithreaded form is pathological: oneDNN's
     * Winograd weight gradient sums per-thread copies of it, and a 256→256 3×3 backward at batch 16 took 36.9 ms
     * on two threads against 3.6 on one.
     */
    public static void execOnOneThread(String name, INDArray[] inputs, INDArray[] outputs, long[] iArgs) {
        run(name, inputs, outputs, iArgs, null, null, NO_D, true, true, null);
    }

    /** x converted to {@code out}'s dtype, in one native call ({@code cast}, which takes the type as a d-arg). */
    public static INDArray cast(INDArray out, INDArray x) {
        if (out.length() > 0) {
            run("cast", new INDArray[] {x}, new INDArray[] {out}, null, null, null, new DataType[] {out.dataType()},
                    true, false, null);
        }
        return out;
    }

    /**
     * A native random op (e.g. {@code random_bernoulli}) whose generator is seeded from {@code seed}: the same
     * seed, the same numbers. A compiled step draws a fresh seed from the run's random stream for every replay.
     */
    public static void execRandom(String name, INDArray[] inputs, INDArray[] outputs, long[] iArgs, double[] tArgs,
            long seed) {
        run(name, inputs, outputs, iArgs, tArgs, null, NO_D, true, false, seed);
    }

    private static void run(String name, INDArray[] inputs, INDArray[] outputs, long[] iArgs, double[] tArgs,
            boolean[] bArgs, DataType[] dArgs, boolean helpers, boolean oneThread, Long seed) {
        Capture capture = Capture.active();
        if (capture != null) {
            capture.call(name, inputs, outputs, iArgs, tArgs, bArgs, dArgs, helpers, oneThread, seed);
        }
        Kernels k = LOCAL.get();
        DynamicCustomOp op = k.ops.computeIfAbsent(name, n -> DynamicCustomOp.builder(n).build());
        long[] i = iArgs == null ? NO_I : iArgs;
        double[] t = tArgs == null ? NO_T : tArgs;
        boolean[] b = bArgs == null ? NO_B : bArgs;
        long layout = inputs.length | (long) outputs.length << 12 | (long) i.length << 24 | (long) t.length << 36
                | (long) b.length << 48 | (long) dArgs.length << 58 | (helpers ? 0L : 1L << 62);
        OpContext ctx = k.contexts.computeIfAbsent(layout, l -> {
            OpContext c = Nd4j.getExecutioner().buildContext();
            c.allowHelpers(helpers);
            return c;
        });
        if (!helpers) {
            ctx.allowHelpers(false); // re-asserted per call: not relying on purge() to keep the flag
        }
        ctx.setArgs(inputs, i, dArgs, t, b);
        ctx.setOutputArrays(outputs);
        if (seed != null) {
            seedGenerator(ctx, seed);
        }
        if (oneThread) {
            Threads.use(true);
        }
        try {
            Nd4j.getExecutioner().exec(op, ctx);
        } finally {
            if (oneThread) {
                Threads.use(false);
            }
            // The native context keeps a reference to every buffer ever set on it until purged: without
            // this, every output a reused context saw stayed allocated (1.3 GB per 5,000 [256,256] adds).
            ctx.purge();
        }
    }

    /**
     * A kernel written in Java over the arrays' host memory (CPU backend), for work libnd4j has no fast op for.
     * A compiled step records it like a native call and replays the same kernel object on the planned arrays,
     * so a kernel reads only its inputs, writes every element of its outputs, keeps no array of its own between
     * runs, and two kernels that are {@code equals} compute the same thing (captures are compared with it):
     * make it a record of its settings.
     */
    public interface HostKernel {
        void run(INDArray[] inputs, INDArray[] outputs);
    }

    /** Runs {@code kernel} on {@code inputs} into {@code outputs}; a compiled step replays it. */
    public static void host(String name, HostKernel kernel, INDArray[] inputs, INDArray[] outputs) {
        Capture capture = Capture.active();
        if (capture != null) {
            capture.host(name, kernel, inputs, outputs);
        }
        kernel.run(inputs, outputs);
    }

    /**
     * libnd4j's elementwise functions that exist only as legacy transform ops (no custom op of that name):
     * {@code exp, log, sqrt, abs, neg, sign, sin, cos, erf, reciprocal, square}. Recorded like a custom op, so
     * a compiled step replays them.
     */
    public static INDArray transform(String name, INDArray out, INDArray x) {
        return legacy(name, out, x, 0);
    }

    /**
     * x ∘ c for a number c, into {@code out} (which may be x): {@code mul, add, sub, rsub, div, rdiv, max,
     * min}, {@code step} (1 where x > c, else 0) and {@code replace_nans} (NaN → c). libnd4j's legacy scalar ops
     * take c as an argument, so no array is made for it.
     */
    public static INDArray scalar(String name, INDArray out, INDArray x, double c) {
        return legacy("scalar_" + name, out, x, c);
    }

    private static INDArray legacy(String name, INDArray out, INDArray x, double c) {
        Legacy make = LEGACY.get(name);
        if (make == null) {
            throw new IllegalArgumentException("no legacy op '" + name + "'; known: " + LEGACY.keySet());
        }
        Capture capture = Capture.active();
        if (capture != null) {
            capture.call(LEGACY_PREFIX + name, new INDArray[] {x}, new INDArray[] {out}, null, new double[] {c}, null,
                    NO_D, true, false, null);
        }
        if (x.length() > 0) {
            Nd4j.getExecutioner().exec(make.op(x, out, c));
        }
        return out;
    }

    static final String LEGACY_PREFIX = "legacy:";
    static final String HOST_PREFIX = "host:";

    /** Builds a legacy op over x into z (c: the scalar operand, where there is one). */
    @FunctionalInterface
    interface Legacy {
        org.nd4j.linalg.api.ops.Op op(INDArray x, INDArray z, double c);
    }

    static final Map<String, Legacy> LEGACY = Map.ofEntries(
            Map.entry("exp", (x, z, c) -> new org.nd4j.linalg.api.ops.impl.transforms.strict.Exp(x, z)),
            Map.entry("log", (x, z, c) -> new org.nd4j.linalg.api.ops.impl.transforms.strict.Log(x, z)),
            Map.entry("sqrt", (x, z, c) -> new org.nd4j.linalg.api.ops.impl.transforms.floating.Sqrt(x, z)),
            Map.entry("abs", (x, z, c) -> new org.nd4j.linalg.api.ops.impl.transforms.same.Abs(x, z)),
            Map.entry("neg", (x, z, c) -> new org.nd4j.linalg.api.ops.impl.transforms.same.Negative(x, z)),
            Map.entry("sign", (x, z, c) -> new org.nd4j.linalg.api.ops.impl.transforms.same.Sign(x, z)),
            Map.entry("sin", (x, z, c) -> new org.nd4j.linalg.api.ops.impl.transforms.strict.Sin(x, z)),
            Map.entry("cos", (x, z, c) -> new org.nd4j.linalg.api.ops.impl.transforms.strict.Cos(x, z)),
            Map.entry("erf", (x, z, c) -> new org.nd4j.linalg.api.ops.impl.transforms.strict.Erf(x, z)),
            Map.entry("reciprocal", (x, z, c) -> new org.nd4j.linalg.api.ops.impl.transforms.same.Reciprocal(x, z)),
            Map.entry("square", (x, z, c) -> new org.nd4j.linalg.api.ops.impl.transforms.same.Square(x, z)),
            Map.entry("scalar_mul", (x, z, c) -> new org.nd4j.linalg.api.ops.impl.scalar.ScalarMultiplication(x,
                    null, z, c)),
            Map.entry("scalar_add", (x, z, c) -> new org.nd4j.linalg.api.ops.impl.scalar.ScalarAdd(x, null, z, c)),
            Map.entry("scalar_sub", (x, z, c) -> new org.nd4j.linalg.api.ops.impl.scalar.ScalarSubtraction(x, null,
                    z, c)),
            Map.entry("scalar_rsub", (x, z, c) -> new org.nd4j.linalg.api.ops.impl.scalar.ScalarReverseSubtraction(x,
                    null, z, c)),
            Map.entry("scalar_div", (x, z, c) -> new org.nd4j.linalg.api.ops.impl.scalar.ScalarDivision(x, null, z,
                    c)),
            Map.entry("scalar_rdiv", (x, z, c) -> new org.nd4j.linalg.api.ops.impl.scalar.ScalarReverseDivision(x,
                    null, z, c)),
            Map.entry("scalar_max", (x, z, c) -> new org.nd4j.linalg.api.ops.impl.scalar.ScalarMax(x, null, z, c)),
            Map.entry("scalar_min", (x, z, c) -> new org.nd4j.linalg.api.ops.impl.scalar.ScalarMin(x, null, z, c)),
            Map.entry("scalar_step", (x, z, c) -> new org.nd4j.linalg.api.ops.impl.scalar.Step(x, z, c)),
            Map.entry("scalar_replace_nans", (x, z, c) -> new org.nd4j.linalg.api.ops.impl.scalar.ReplaceNans(x, z,
                    c)));

    /** Seeds the op's generator; libnd4j's takes two states, the second derived so that nearby seeds stay apart. */
    static void seedGenerator(OpContext ctx, long seed) {
        ctx.setRngStates(seed, seed * 0x9E3779B97F4A7C15L + 0x632BE59BD9B4E019L);
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

    /** A new array of {@code shape} filled with {@code value}, in one native call (a captured step replays it). */
    public static INDArray full(DataType type, double value, long... shape) {
        INDArray out = empty(type, shape);
        if (out.length() > 0) {
            assign(out, Nd4j.scalar(type, value));
        }
        return out;
    }

    /** Writes {@code source} (broadcast to its shape) into {@code target}, in one native call. */
    public static INDArray assign(INDArray target, INDArray source) {
        return exec("assign", target, target, source);
    }

    /** out = a·x + y, elementwise, in one native call ({@code out} may be x or y). */
    public static INDArray axpy(INDArray out, double a, INDArray x, INDArray y) {
        if (out.length() > 0) {
            // libnd4j's axpy(in0, in1) computes in0 + a·in1.
            exec("axpy", new INDArray[] {y, x}, new INDArray[] {out}, null, new double[] {a}, null);
        }
        return out;
    }

    /**
     * Inverted dropout's mask: 1/(1 − p) with probability 1 − p, else 0, from a native generator seeded with
     * {@code seed} (two native calls; a compiled step reseeds them from the run's stream on every replay).
     */
    public static INDArray dropoutMask(DataType type, long[] shape, double p, long seed) {
        INDArray mask = empty(type, shape);
        if (mask.length() > 0) {
            execRandom("random_bernoulli", new INDArray[] {Nd4j.createFromArray(shape)}, new INDArray[] {mask}, null,
                    new double[] {1.0 - p}, seed);
            scalar("mul", mask, mask, 1.0 / (1.0 - p));
        }
        return mask;
    }

    /** The parts joined along {@code axis} into a new array, in one native call (a copy of a single part). */
    public static INDArray concat(int axis, INDArray... parts) {
        if (parts.length == 1) {
            return copy(parts[0]);
        }
        long[] shape = parts[0].shape().clone();
        shape[axis] = 0;
        for (INDArray p : parts) {
            shape[axis] += p.size(axis);
        }
        INDArray out = empty(parts[0].dataType(), shape);
        if (out.length() > 0) {
            exec("concat", parts, new INDArray[] {out}, new long[] {axis}, null, null);
        }
        return out;
    }

    /** a + b (same shape) into a new array. */
    public static INDArray sum(INDArray a, INDArray b) {
        return exec("add", empty(a.dataType(), a.shape()), a, b);
    }

    /**
     * A contiguous copy of x with its axes reordered ({@code x.permute(perm)}, materialised), in one native
     * {@code permute}: ~10× faster than {@link #copy} of the permuted view, whose strided assign walks it
     * element by element ([64,6,28,28] axes 1,0,2,3 on one thread: 150 against 1,700 µs).
     */
    public static INDArray permute(INDArray x, int... perm) {
        long[] shape = new long[perm.length];
        long[] axes = new long[perm.length];
        for (int i = 0; i < perm.length; i++) {
            shape[i] = x.size(perm[i]);
            axes[i] = perm[i];
        }
        INDArray out = empty(x.dataType(), shape);
        if (out.length() > 0) {
            exec("permute", new INDArray[] {x}, new INDArray[] {out}, axes, null, null);
        }
        return out;
    }

    /**
     * op(x)·op(y) into a fresh array, one native matmul; op transposes the last two dims when asked, and leading
     * dims are batch dims. An empty sum (K = 0) is 0 (libnd4j's matmul fails on empty operands instead).
     */
    public static INDArray matmul(INDArray x, INDArray y, boolean tx, boolean ty) {
        int r = x.rank();
        long[] shape = x.shape().clone();
        shape[r - 2] = x.size(tx ? r - 1 : r - 2);
        shape[r - 1] = y.size(ty ? y.rank() - 2 : y.rank() - 1);
        if (x.isEmpty() || y.isEmpty()) {
            return full(x.dataType(), 0, shape);
        }
        INDArray out = empty(x.dataType(), shape);
        exec("matmul", new INDArray[] {x, y}, new INDArray[] {out}, new long[] {tx ? 1 : 0, ty ? 1 : 0}, null, null);
        return out;
    }

    /**
     * Elements from which {@link #reduceSum} runs as a GEMV: 64k on one thread; 256k on more, because a GEMV wakes
     * OpenBLAS's own thread pool, whose threads then spin against OpenMP's for the next calls (the MLP step at
     * batch 256 on two threads: 117k → 87k samples/s with a [256,256] bias gradient as a GEMV; the transformer's
     * [2048,512] ones still gain).
     */
    private static long sumAsGemv() {
        return Nd4j.getEnvironment().maxThreads() > 1 ? 1 << 18 : 1 << 16;
    }

    /**
     * Σ of x over {@code axes} into {@code out}, libnd4j's {@code reduce_sum} with its keep-dims flag (out shaped
     * accordingly). When the axes are x's leading ones or its trailing ones and x is contiguous and large enough
     * ({@link #sumAsGemv}), one GEMV against a ones vector instead: libnd4j's {@code reduce_sum} over leading axes
     * is 3–57× slower on one thread ([2048,512] axis 0: 3.5 ms against 60 µs; [256,256]: 64 against 8 µs), and
     * over (0, 2, 3) — a bias gradient, summed here as (2, 3) then 0 — 6–9× ([64,6,28,28]: 185 against 28 µs).
     */
    public static INDArray reduceSum(INDArray out, INDArray x, boolean keepDims, long... axes) {
        int lead = sumAsGemv(out, x, axes);
        if (lead == 0) {
            exec("reduce_sum", new INDArray[] {x}, new INDArray[] {out}, axes, null, new boolean[] {keepDims});
            return out;
        }
        long rows = 1;
        for (int i = 0; i < Math.abs(lead); i++) {
            rows *= x.size(lead > 0 ? i : x.rank() - 1 - i);
        }
        long cols = x.length() / rows;
        if (lead > 0) {
            exec("matmul", new INDArray[] {full(x.dataType(), 1, 1, rows), x.reshape('c', rows, cols)},
                    new INDArray[] {out.reshape('c', 1, cols)}, new long[] {0, 0}, null, null);
        } else {
            exec("matmul", new INDArray[] {x.reshape('c', cols, rows), full(x.dataType(), 1, rows, 1)},
                    new INDArray[] {out.reshape('c', cols, 1)}, new long[] {0, 0}, null, null);
        }
        return out;
    }

    /**
     * How {@link #reduceSum} runs as a GEMV: +k when {@code axes} are x's first k axes, −k when its last k, 0 when
     * it does not (other axes, too small, strided, not float or double).
     */
    private static int sumAsGemv(INDArray out, INDArray x, long[] axes) {
        int k = axes.length;
        if (k == 0 || k >= x.rank() || x.length() < sumAsGemv()
                || (x.dataType() != DataType.FLOAT && x.dataType() != DataType.DOUBLE)
                || !Shapes.rowMajor(x) || !Shapes.rowMajor(out)) {
            return 0;
        }
        boolean leading = true;
        boolean trailing = true;
        for (int i = 0; i < k; i++) {
            leading &= axes[i] == i;
            trailing &= axes[i] == x.rank() - k + i;
        }
        return leading ? k : trailing ? -k : 0;
    }

    /** A contiguous copy of {@code x}. */
    public static INDArray copy(INDArray x) {
        INDArray out = empty(x.dataType(), x.shape());
        if (out.length() > 0) {
            assign(out, x);
        }
        return out;
    }
}

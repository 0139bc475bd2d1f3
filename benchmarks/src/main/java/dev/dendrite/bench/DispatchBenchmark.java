package dev.dendrite.bench;

import dev.dendrite.ops.F;
import dev.dendrite.random.Rng;
import dev.dendrite.tensor.CompiledStep;
import dev.dendrite.tensor.GradMode;
import dev.dendrite.tensor.Tensor;
import java.util.concurrent.TimeUnit;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.AddOp;
import org.nd4j.linalg.factory.Nd4j;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * What one primitive costs beyond its kernel. The tensors are tiny (float32 [4]) so the arithmetic is
 * free and every microsecond is dispatch: op construction, output allocation, the JNI call, and in
 * Dendrite's case the checks and the tape. Run with OMP_NUM_THREADS=1 (see README): on 4 elements a
 * second thread only adds wake-up jitter.
 *
 * <p>Forward: {@code raw*} run ND4J's add kernel directly, {@code dendriteAddNoGrad} runs F.add with
 * recording off. Forward + backward: y = a + b, s = Σy, then ds/da and ds/db (both all-ones),
 * by Dendrite's tape against the same arithmetic written by hand in ND4J.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgs = {"-Dorg.bytedeco.javacpp.maxPhysicalBytes=4g", "-Xmx2g"})
public class DispatchBenchmark extends OffHeapState {
    private static final long SEED = 42;
    private static final long[] SHAPE = {4};

    private INDArray a;
    private INDArray b;
    private Tensor ta;
    private Tensor tb;

    // Preallocated buffers for the floor variants.
    private INDArray out;
    private INDArray sum;
    private INDArray gradA;
    private INDArray gradB;
    private NativeCall addInto;
    private NativeCall sumInto;
    private NativeCall fillGradA;
    private NativeCall fillGradB;
    private NativeCall[] chainInto;
    private CompiledStep chain;
    private CompiledStep addSum;

    @Setup
    public void setUp() {
        Nd4j.getRandom().setSeed(SEED);
        a = Nd4j.rand(DataType.FLOAT, SHAPE);
        b = Nd4j.rand(DataType.FLOAT, SHAPE);
        ta = Tensor.leaf(a);
        tb = Tensor.leaf(b);

        out = Nd4j.create(DataType.FLOAT, SHAPE);
        sum = Nd4j.scalar(DataType.FLOAT, 0.0);
        gradA = Nd4j.create(DataType.FLOAT, SHAPE);
        gradB = Nd4j.create(DataType.FLOAT, SHAPE);
        INDArray shape = Nd4j.createFromArray(SHAPE);
        addInto = new NativeCall("add", new INDArray[] {a, b}, new INDArray[] {out}, null, null);
        sumInto = new NativeCall("reduce_sum", new INDArray[] {out}, new INDArray[] {sum}, null, null);
        fillGradA = new NativeCall("fill", new INDArray[] {shape}, new INDArray[] {gradA}, null, new double[] {1.0});
        fillGradB = new NativeCall("fill", new INDArray[] {shape}, new INDArray[] {gradB}, null, new double[] {1.0});
        chainInto = new NativeCall[CHAIN];
        INDArray[] links = new INDArray[CHAIN + 1];
        links[0] = a;
        for (int i = 0; i < CHAIN; i++) {
            links[i + 1] = Nd4j.create(DataType.FLOAT, SHAPE);
            chainInto[i] = new NativeCall("add", new INDArray[] {links[i], b}, new INDArray[] {links[i + 1]}, null,
                    null);
        }
        Rng rng = new Rng(SEED);
        chain = new CompiledStep("chain", in -> {
            Tensor y = in[0];
            for (int i = 0; i < CHAIN; i++) {
                y = F.add(y, tb);
            }
            return new Tensor[] {y};
        }, rng, true, java.util.Map::of);
        addSum = new CompiledStep("add_sum", in -> new Tensor[] {F.sum(F.add(ta, tb), false)}, rng, true,
                java.util.Map::of);
    }

    /** Primitives in the replay chain: the per-primitive cost is (replay − raw) / CHAIN, input copy included. */
    static final int CHAIN = 10;


    // ---- forward: one add ----

    /** The INDArray API a user writes: allocates the output, builds and runs the op. */
    @Benchmark
    public INDArray rawAddAllocating() {
        return a.add(b);
    }

    /** A new op object per call, into a preallocated output (Nd4j.exec of a custom op). */
    @Benchmark
    public INDArray[] rawAddExecPrealloc() {
        return Nd4j.exec(new AddOp(new INDArray[] {a, b}, new INDArray[] {out}));
    }

    /** The floor: a cached op through a bound OpContext into a preallocated output. */
    @Benchmark
    public INDArray rawAddOpContext() {
        addInto.run();
        return out;
    }

    /** F.add with recording off: checks, output allocation, the kernel through Dendrite's op cache. */
    @Benchmark
    @SuppressWarnings("try") // the scope is only opened and closed
    public Tensor dendriteAddNoGrad() {
        try (GradMode.Scope s = GradMode.off()) {
            return F.add(ta, tb);
        }
    }

    /** F.add recording a tape node (a, b are leaves), no backward: the cost of recording alone. */
    @Benchmark
    public Tensor dendriteAddRecorded() {
        return F.add(ta, tb);
    }

    /** The floor for the chain: CHAIN adds, each a bound OpContext into a preallocated buffer. */
    @Benchmark
    public void rawAddChainOpContext(Blackhole bh) {
        for (NativeCall c : chainInto) {
            c.run();
        }
        bh.consume(chainInto);
    }

    /**
     * The same CHAIN adds as a compiled step replayed (no grad): input copied in, bound native calls over planned
     * memory. The first calls capture and verify, then every call replays.
     */
    @Benchmark
    @SuppressWarnings("try")
    public Tensor dendriteAddChainReplay() {
        try (GradMode.Scope s = GradMode.off()) {
            return chain.forward(Boolean.FALSE, false, a)[0];
        }
    }

    /** The same CHAIN adds eagerly (no grad): what the replay saves. */
    @Benchmark
    @SuppressWarnings("try")
    public Tensor dendriteAddChainEager() {
        try (GradMode.Scope s = GradMode.off()) {
            Tensor y = Tensor.of(a);
            for (int i = 0; i < CHAIN; i++) {
                y = F.add(y, tb);
            }
            return y;
        }
    }

    // ---- forward + backward: s = Σ(a + b), ds/da, ds/db ----

    /** {@link #dendriteAddSumBackward} as a compiled step: forward and backward replayed. */
    @Benchmark
    public void dendriteAddSumBackwardReplay(Blackhole bh) {
        ta.zeroGrad();
        tb.zeroGrad();
        bh.consume(addSum.forward(Boolean.TRUE, true)[0]);
        addSum.backward();
        bh.consume(ta.grad());
        bh.consume(tb.grad());
    }

    @Benchmark
    public void dendriteAddSumBackward(Blackhole bh) {
        ta.zeroGrad();
        tb.zeroGrad();
        Tensor s = F.sum(F.add(ta, tb), false);
        s.backward();
        bh.consume(s);
        bh.consume(ta.grad());
        bh.consume(tb.grad());
    }

    /** The same arithmetic by hand with the INDArray API: add, sum, two gradient fills. */
    @Benchmark
    public void rawAddSumGradAllocating(Blackhole bh) {
        INDArray y = a.add(b);
        bh.consume(y.sum());
        bh.consume(Nd4j.onesLike(a));
        bh.consume(Nd4j.onesLike(b));
    }

    /** The same four kernels, each a bound OpContext into a preallocated buffer: the floor. */
    @Benchmark
    public void rawAddSumGradOpContext(Blackhole bh) {
        addInto.run();
        sumInto.run();
        fillGradA.run();
        fillGradB.run();
        bh.consume(sum);
        bh.consume(gradA);
        bh.consume(gradB);
    }
}

package dev.dendrite.bench;

import dev.dendrite.ops.F;
import dev.dendrite.tensor.GradMode;
import dev.dendrite.tensor.Kernels;
import dev.dendrite.tensor.Tensor;
import java.util.concurrent.TimeUnit;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
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
 * The pieces that {@link DispatchBenchmark}'s Dendrite variants are made of, each timed alone on the
 * same float32 [4] tensors, so the per-primitive overhead can be attributed: array creation, the
 * kernel call through {@link Kernels}, the legacy reduction F.sum uses, and forward with and without
 * the tape. Run with OMP_NUM_THREADS=1, like DispatchBenchmark.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgs = {"-Dorg.bytedeco.javacpp.maxPhysicalBytes=4g", "-Xmx2g"})
public class DispatchBreakdownBenchmark extends OffHeapState {
    private static final long SEED = 42;

    private INDArray a;
    private INDArray b;
    private INDArray out;
    private Tensor ta;
    private Tensor tb;

    @Setup
    public void setUp() {
        Nd4j.getRandom().setSeed(SEED);
        a = Nd4j.rand(DataType.FLOAT, 4);
        b = Nd4j.rand(DataType.FLOAT, 4);
        out = Nd4j.create(DataType.FLOAT, 4);
        ta = Tensor.leaf(a);
        tb = Tensor.leaf(b);
    }


    // ---- array creation: every primitive's output and every gradient is one of these ----

    /** Kernels.empty: how every primitive allocates its output. */
    @Benchmark
    public INDArray createUninitialized() {
        return Nd4j.createUninitialized(DataType.FLOAT, 4);
    }

    /** Nd4j.ones: the backward seed, and Reduce.Sum's local gradient. */
    @Benchmark
    public INDArray ones() {
        return Nd4j.ones(DataType.FLOAT, 4);
    }

    /** INDArray.dup: backward copies its seed. */
    @Benchmark
    public INDArray dup() {
        return a.dup();
    }

    /** A view with a new shape: Reduce reshapes its result twice, backward once more. */
    @Benchmark
    public INDArray reshape() {
        return a.reshape('c', 1, 4);
    }

    // ---- the kernel call ----

    /** Kernels.exec into a preallocated output: op lookup, binding the context, the call, purging it. */
    @Benchmark
    public INDArray kernelsExecPrealloc() {
        return Kernels.exec("add", out, a, b);
    }

    /** Kernels.empty + Kernels.exec: the native part of F.add. */
    @Benchmark
    public INDArray kernelsEmptyAndExec() {
        return Kernels.exec("add", Kernels.empty(DataType.FLOAT, 4), a, b);
    }

    /** INDArray.sum(keepDims, axes): the legacy reduction (op object, output allocation) Reduce.Sum runs. */
    @Benchmark
    public INDArray legacySumAll() {
        return a.sum(true, 0);
    }

    // ---- primitives, forward ----

    @Benchmark
    @SuppressWarnings("try") // the scope is only opened and closed
    public Tensor sumNoGrad() {
        try (GradMode.Scope s = GradMode.off()) {
            return F.sum(ta, false);
        }
    }

    @Benchmark
    public Tensor sumRecorded() {
        return F.sum(ta, false);
    }

    /** DispatchBenchmark.dendriteAddSumBackward without the backward: what backward adds is the difference. */
    @Benchmark
    public void addSumForwardRecorded(Blackhole bh) {
        bh.consume(F.sum(F.add(ta, tb), false));
    }
}

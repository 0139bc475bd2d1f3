package dev.dendrite.bench;

import dev.dendrite.ops.F;
import dev.dendrite.tensor.GradMode;
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
 * A dense layer where the kernels dominate: x[256,784]·Wᵀ + b with W in [out, in] = [256, 784] layout
 * (one Gemm with transB), loss = Σy, backward to x, W and b. Dendrite's tape against the same
 * products written by hand with the INDArray API. Run on ND4J's default threads (2 here).
 *
 * <p>Forward: 2·256·784·256 ≈ 103 MFLOP; backward twice that (dW and dx).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgs = {"-Dorg.bytedeco.javacpp.maxPhysicalBytes=4g", "-Xmx2g"})
public class DenseBenchmark extends OffHeapState {
    private static final long SEED = 7;
    private static final int BATCH = 256;
    private static final int IN = 784;
    private static final int OUT = 256;

    private INDArray x;
    private INDArray w;
    private INDArray b;
    private Tensor tx;
    private Tensor tw;
    private Tensor tb;

    @Setup
    public void setUp() {
        Nd4j.getRandom().setSeed(SEED);
        x = Nd4j.randn(DataType.FLOAT, BATCH, IN);
        w = Nd4j.randn(DataType.FLOAT, OUT, IN).muli(1.0 / Math.sqrt(IN));
        b = Nd4j.randn(DataType.FLOAT, OUT).muli(0.1);
        tx = Tensor.leaf(x);
        tw = Tensor.leaf(w);
        tb = Tensor.leaf(b);
    }


    // ---- forward only ----

    @Benchmark
    @SuppressWarnings("try") // the scope is only opened and closed
    public Tensor dendriteForward() {
        try (GradMode.Scope s = GradMode.off()) {
            return F.linear(tx, tw, tb);
        }
    }

    /** x·Wᵀ + b by hand: one gemm with transB, then the bias row added in place. */
    @Benchmark
    public INDArray rawForward() {
        return Nd4j.gemm(x, w, false, true).addiRowVector(b);
    }

    /** The matrix product alone, to show what the bias add costs. */
    @Benchmark
    public INDArray rawMmulOnly() {
        return Nd4j.gemm(x, w, false, true);
    }

    // ---- forward + backward ----

    @Benchmark
    public void dendriteForwardBackward(Blackhole bh) {
        tx.zeroGrad();
        tw.zeroGrad();
        tb.zeroGrad();
        Tensor loss = F.sum(F.linear(tx, tw, tb), false);
        loss.backward();
        bh.consume(loss);
        bh.consume(tx.grad());
        bh.consume(tw.grad());
        bh.consume(tb.grad());
    }

    /** The same by hand: g = dL/dy = ones; dW = gᵀ·x, dx = g·W, db = Σ over the batch of g. */
    @Benchmark
    public void rawForwardBackward(Blackhole bh) {
        INDArray y = Nd4j.gemm(x, w, false, true).addiRowVector(b);
        bh.consume(y.sum());
        INDArray g = Nd4j.onesLike(y);
        bh.consume(Nd4j.gemm(g, x, true, false));
        bh.consume(Nd4j.gemm(g, w, false, false));
        bh.consume(g.sum(0));
    }
}

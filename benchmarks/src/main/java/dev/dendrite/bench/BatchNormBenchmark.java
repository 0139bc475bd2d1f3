package dev.dendrite.bench;

import dev.dendrite.cnn.ops.CnnF;
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
 * Training-mode batch normalisation (what the batch_norm2d layer runs while training) on x [64,16,28,28]
 * float32 with affine γ, β [16], eps 1e-5, momentum 0.1: Dendrite's primitive ({@link CnnF#batchNorm}, which
 * also updates the running mean and variance in place) on leaves, against libnd4j ops bound once to
 * preallocated arrays ({@link NativeCall}).
 *
 * <p>The raw forward does the forward's native work: {@code reduce_mean} and {@code reduce_variance} (biased)
 * over N, H, W for the batch statistics, {@code batchnorm} with them, and the running-statistics update
 * (three [16]-element ops per statistic, as {@code CnnF.batchNorm}). The backward has two baselines, both
 * after that forward and both with gradO = ones (what backward of Σy feeds the Dendrite primitive):
 * <ul>
 *   <li>{@code rawForwardBackwardFused}: libnd4j's own {@code batchnorm_bp} (dx through the batch statistics,
 *       dγ, dβ in one op). Dendrite does not use it (in float64 it is ~1e-9 off), so this is what the same
 *       backward could cost, not what Dendrite runs.
 *   <li>{@code rawForwardBackwardUnfused}: the native ops Dendrite's backward runs, one by one, with the same
 *       arithmetic (rstd = (σ² + ε)^−½; x̂ = (x − μ)·rstd; dx̂ = g·γ; dx = (dx̂ − mean(dx̂) − x̂·mean(dx̂·x̂))·rstd;
 *       dγ = Σ g·x̂; dβ = Σ g), each into a preallocated array: 9 passes over x-sized arrays and 4 reductions.
 *       Dendrite / unfused is the framework's own overhead; unfused / fused is the cost of the unfused formula.
 * </ul>
 * With gradO = ones, dx is ≈ 0 (Σy does not depend on x); the kernels' cost does not depend on the values.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgs = {"-Dorg.bytedeco.javacpp.maxPhysicalBytes=4g", "-Xmx2g"})
public class BatchNormBenchmark extends OffHeapState {
    private static final long SEED = 7;
    private static final long C = 16;
    private static final long[] X_SHAPE = {64, C, 28, 28};
    private static final long[] PER_CHANNEL = {1, C, 1, 1};
    private static final double EPS = 1e-5;
    private static final double MOMENTUM = 0.1;
    /** Axes of the batch statistics: N, H, W. */
    private static final long[] AXES = {0, 2, 3};
    /** applyScale, applyOffset, channel axis 1. */
    private static final long[] BN_I_ARGS = {1, 1, 1};

    private Tensor tx;
    private Tensor tGamma;
    private Tensor tBeta;
    private INDArray runningMean;
    private INDArray runningVar;

    private INDArray y;
    private INDArray gradI;
    private INDArray gradGamma;
    private INDArray gradBeta;
    private NativeCall[] rawForward;
    private NativeCall batchNormBp;
    private NativeCall[] unfusedBackward;

    @Setup
    public void setUp() {
        Nd4j.getRandom().setSeed(SEED);
        INDArray x = Nd4j.randn(DataType.FLOAT, X_SHAPE).muli(2).addi(0.5);
        INDArray gamma = Nd4j.rand(DataType.FLOAT, C).addi(0.5);
        INDArray beta = Nd4j.randn(DataType.FLOAT, C).muli(0.1);
        tx = Tensor.leaf(x);
        tGamma = Tensor.leaf(gamma);
        tBeta = Tensor.leaf(beta);
        runningMean = Nd4j.zeros(DataType.FLOAT, C);
        runningVar = Nd4j.ones(DataType.FLOAT, C);

        // ---- forward: batch statistics, batchnorm, running statistics ----
        INDArray mean = Nd4j.create(DataType.FLOAT, C);
        INDArray var = Nd4j.create(DataType.FLOAT, C);
        INDArray rawRunningMean = Nd4j.zeros(DataType.FLOAT, C);
        INDArray rawRunningVar = Nd4j.ones(DataType.FLOAT, C);
        INDArray scaled = Nd4j.create(DataType.FLOAT, C);
        double n = (double) x.length() / C;
        INDArray keep = Nd4j.scalar(DataType.FLOAT, 1 - MOMENTUM);
        INDArray meanWeight = Nd4j.scalar(DataType.FLOAT, MOMENTUM);
        INDArray varWeight = Nd4j.scalar(DataType.FLOAT, MOMENTUM * n / (n - 1));
        y = Nd4j.create(DataType.FLOAT, X_SHAPE);
        INDArray[] bnInputs = {x, mean, var, gamma, beta};
        rawForward = new NativeCall[] {
            new NativeCall("reduce_mean", in(x), out(mean), AXES, null),
            new NativeCall("reduce_variance", in(x), out(var), AXES, null),
            new NativeCall("batchnorm", bnInputs, out(y), BN_I_ARGS, new double[] {EPS}),
            new NativeCall("multiply", in(rawRunningMean, keep), out(rawRunningMean), null, null),
            new NativeCall("multiply", in(mean, meanWeight), out(scaled), null, null),
            new NativeCall("add", in(rawRunningMean, scaled), out(rawRunningMean), null, null),
            new NativeCall("multiply", in(rawRunningVar, keep), out(rawRunningVar), null, null),
            new NativeCall("multiply", in(var, varWeight), out(scaled), null, null),
            new NativeCall("add", in(rawRunningVar, scaled), out(rawRunningVar), null, null),
        };

        // ---- backward, fused: batchnorm_bp ----
        INDArray gradO = Nd4j.ones(DataType.FLOAT, X_SHAPE);
        gradI = Nd4j.create(DataType.FLOAT, X_SHAPE);
        gradGamma = Nd4j.create(DataType.FLOAT, C);
        gradBeta = Nd4j.create(DataType.FLOAT, C);
        batchNormBp = new NativeCall("batchnorm_bp", new INDArray[] {x, mean, var, gamma, beta, gradO},
                new INDArray[] {gradI, Nd4j.create(DataType.FLOAT, C), Nd4j.create(DataType.FLOAT, C), gradGamma,
                    gradBeta},
                BN_I_ARGS, new double[] {EPS});

        // ---- backward, unfused: BatchNorm.backward's native ops; [1,C,1,1] views share the [C] buffers ----
        INDArray varEps = Nd4j.create(DataType.FLOAT, C);
        INDArray rstd = Nd4j.create(DataType.FLOAT, C);
        INDArray meanG = Nd4j.create(DataType.FLOAT, C);
        INDArray meanGx = Nd4j.create(DataType.FLOAT, C);
        INDArray xhat = Nd4j.create(DataType.FLOAT, X_SHAPE);
        INDArray dxhat = Nd4j.create(DataType.FLOAT, X_SHAPE);
        INDArray tmp = Nd4j.create(DataType.FLOAT, X_SHAPE);
        INDArray centred = Nd4j.create(DataType.FLOAT, X_SHAPE);
        unfusedBackward = new NativeCall[] {
            new NativeCall("add", in(var, Nd4j.scalar(DataType.FLOAT, EPS)), out(varEps), null, null),
            new NativeCall("Pow", in(varEps, Nd4j.scalar(DataType.FLOAT, -0.5)), out(rstd), null, null),
            new NativeCall("subtract", in(x, view(mean)), out(tmp), null, null),
            new NativeCall("multiply", in(tmp, view(rstd)), out(xhat), null, null),
            new NativeCall("multiply", in(gradO, view(gamma)), out(dxhat), null, null),
            new NativeCall("reduce_mean", in(dxhat), out(meanG), AXES, null),
            new NativeCall("multiply", in(dxhat, xhat), out(tmp), null, null),
            new NativeCall("reduce_mean", in(tmp), out(meanGx), AXES, null),
            new NativeCall("subtract", in(dxhat, view(meanG)), out(centred), null, null),
            new NativeCall("multiply", in(xhat, view(meanGx)), out(tmp), null, null),
            new NativeCall("subtract", in(centred, tmp), out(centred), null, null),
            new NativeCall("multiply", in(centred, view(rstd)), out(gradI), null, null),
            new NativeCall("multiply", in(xhat, gradO), out(tmp), null, null),
            new NativeCall("reduce_sum", in(tmp), out(gradGamma), AXES, null),
            new NativeCall("reduce_sum", in(gradO), out(gradBeta), AXES, null),
        };
    }

    private static INDArray[] in(INDArray... a) {
        return a;
    }

    private static INDArray[] out(INDArray a) {
        return new INDArray[] {a};
    }

    /** [C] as [1, C, 1, 1] over the same buffer, to broadcast along axis 1. */
    private static INDArray view(INDArray perChannel) {
        return perChannel.reshape(PER_CHANNEL);
    }

    private static void runAll(NativeCall[] calls) {
        for (NativeCall c : calls) {
            c.run();
        }
    }

    // ---- forward only ----

    @Benchmark
    @SuppressWarnings("try") // the scope is only opened and closed
    public Tensor dendriteForward() {
        try (GradMode.Scope s = GradMode.off()) {
            return CnnF.batchNorm(tx, runningMean, runningVar, tGamma, tBeta, true, MOMENTUM, EPS);
        }
    }

    @Benchmark
    public INDArray rawForward() {
        runAll(rawForward);
        return y;
    }

    // ---- forward + backward ----

    @Benchmark
    public void dendriteForwardBackward(Blackhole bh) {
        tx.zeroGrad();
        tGamma.zeroGrad();
        tBeta.zeroGrad();
        Tensor loss = F.sum(CnnF.batchNorm(tx, runningMean, runningVar, tGamma, tBeta, true, MOMENTUM, EPS), false);
        loss.backward();
        bh.consume(loss);
        bh.consume(tx.grad());
        bh.consume(tGamma.grad());
        bh.consume(tBeta.grad());
    }

    /** The raw forward, then batchnorm_bp (gradO = ones): dx, dγ, dβ (and dμ, dσ², unused). */
    @Benchmark
    public void rawForwardBackwardFused(Blackhole bh) {
        runAll(rawForward);
        batchNormBp.run();
        bh.consume(y);
        bh.consume(gradI);
        bh.consume(gradGamma);
        bh.consume(gradBeta);
    }

    /** The raw forward, then Dendrite's backward formula as 15 native calls (gradO = ones). */
    @Benchmark
    public void rawForwardBackwardUnfused(Blackhole bh) {
        runAll(rawForward);
        runAll(unfusedBackward);
        bh.consume(y);
        bh.consume(gradI);
        bh.consume(gradGamma);
        bh.consume(gradBeta);
    }
}

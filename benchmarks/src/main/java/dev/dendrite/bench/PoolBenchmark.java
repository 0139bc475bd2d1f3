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
 * 2×2 pooling, stride 2, no padding, on x [64,16,28,28] float32 (LeNet's second feature map at batch 64) →
 * [64,16,14,14]. Dendrite's pooling primitives ({@link CnnF#maxPool2d}, {@link CnnF#avgPool2d}, what the
 * max_pool2d / avg_pool2d layers call) on a leaf, against libnd4j's {@code maxpool2d}, {@code avgpool2d} and
 * their {@code _bp}s bound once to preallocated arrays (the floor). Max pooling runs on libnd4j's oneDNN
 * helper, as Pool does above 32k input elements; the {@code rawAvg*} variants run average pooling with the
 * helper and the {@code rawAvg*NoHelpers} ones without it, as Pool does. The raw backward gets gradO = ones,
 * which is what backward of Σy feeds the Dendrite pool.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgs = {"-Dorg.bytedeco.javacpp.maxPhysicalBytes=4g", "-Xmx2g"})
public class PoolBenchmark extends OffHeapState {
    private static final long SEED = 7;
    private static final long[] X_SHAPE = {64, 16, 28, 28};
    private static final long[] Y_SHAPE = {64, 16, 14, 14};
    private static final long[] KERNEL = {2, 2};
    private static final long[] STRIDE = {2, 2};
    private static final long[] PADDING = {0, 0};
    /** kH, kW, sH, sW, pH, pW, dH, dW, sameMode 0, extra (avg: 1 = divide by kH·kW), NCHW 0; as Pool builds them. */
    private static final long[] MAX_I_ARGS = {2, 2, 2, 2, 0, 0, 1, 1, 0, 0, 0};
    private static final long[] AVG_I_ARGS = {2, 2, 2, 2, 0, 0, 1, 1, 0, 1, 0};

    private Tensor tx;

    private INDArray yMax;
    private INDArray yAvg;
    private INDArray gradMax;
    private INDArray gradAvg;
    private NativeCall maxPool;
    private NativeCall maxPoolBp;
    private NativeCall avgPool;
    private NativeCall avgPoolBp;
    private NativeCall avgPoolNoHelpers;
    private NativeCall avgPoolBpNoHelpers;

    @Setup
    public void setUp() {
        Nd4j.getRandom().setSeed(SEED);
        INDArray x = Nd4j.randn(DataType.FLOAT, X_SHAPE);
        tx = Tensor.leaf(x);

        yMax = Nd4j.create(DataType.FLOAT, Y_SHAPE);
        yAvg = Nd4j.create(DataType.FLOAT, Y_SHAPE);
        INDArray gradO = Nd4j.ones(DataType.FLOAT, Y_SHAPE);
        gradMax = Nd4j.create(DataType.FLOAT, X_SHAPE);
        gradAvg = Nd4j.create(DataType.FLOAT, X_SHAPE);
        maxPool = new NativeCall("maxpool2d", new INDArray[] {x}, new INDArray[] {yMax}, MAX_I_ARGS, null, true);
        maxPoolBp = new NativeCall("maxpool2d_bp", new INDArray[] {x, gradO}, new INDArray[] {gradMax}, MAX_I_ARGS,
                null, true);
        avgPool = new NativeCall("avgpool2d", new INDArray[] {x}, new INDArray[] {yAvg}, AVG_I_ARGS, null, true);
        avgPoolBp = new NativeCall("avgpool2d_bp", new INDArray[] {x, gradO}, new INDArray[] {gradAvg}, AVG_I_ARGS,
                null, true);
        avgPoolNoHelpers = new NativeCall("avgpool2d", new INDArray[] {x}, new INDArray[] {yAvg}, AVG_I_ARGS, null,
                false);
        avgPoolBpNoHelpers = new NativeCall("avgpool2d_bp", new INDArray[] {x, gradO}, new INDArray[] {gradAvg},
                AVG_I_ARGS, null, false);
    }

    // ---- max pooling ----

    @Benchmark
    @SuppressWarnings("try") // the scope is only opened and closed
    public Tensor dendriteMaxForward() {
        try (GradMode.Scope s = GradMode.off()) {
            return CnnF.maxPool2d(tx, KERNEL, STRIDE, PADDING, false);
        }
    }

    @Benchmark
    public INDArray rawMaxForward() {
        maxPool.run();
        return yMax;
    }

    @Benchmark
    public void dendriteMaxForwardBackward(Blackhole bh) {
        tx.zeroGrad();
        Tensor loss = F.sum(CnnF.maxPool2d(tx, KERNEL, STRIDE, PADDING, false), false);
        loss.backward();
        bh.consume(loss);
        bh.consume(tx.grad());
    }

    /** maxpool2d then maxpool2d_bp (gradO = ones), all outputs preallocated. */
    @Benchmark
    public void rawMaxForwardBackward(Blackhole bh) {
        maxPool.run();
        maxPoolBp.run();
        bh.consume(yMax);
        bh.consume(gradMax);
    }

    // ---- average pooling ----

    @Benchmark
    @SuppressWarnings("try")
    public Tensor dendriteAvgForward() {
        try (GradMode.Scope s = GradMode.off()) {
            return CnnF.avgPool2d(tx, KERNEL, STRIDE, PADDING, false, true);
        }
    }

    @Benchmark
    public INDArray rawAvgForward() {
        avgPool.run();
        return yAvg;
    }

    @Benchmark
    public void dendriteAvgForwardBackward(Blackhole bh) {
        tx.zeroGrad();
        Tensor loss = F.sum(CnnF.avgPool2d(tx, KERNEL, STRIDE, PADDING, false, true), false);
        loss.backward();
        bh.consume(loss);
        bh.consume(tx.grad());
    }

    /** avgpool2d then avgpool2d_bp (gradO = ones), all outputs preallocated. */
    @Benchmark
    public void rawAvgForwardBackward(Blackhole bh) {
        avgPool.run();
        avgPoolBp.run();
        bh.consume(yAvg);
        bh.consume(gradAvg);
    }

    /** avgpool2d with the oneDNN helper off, as Pool runs it. */
    @Benchmark
    public INDArray rawAvgForwardNoHelpers() {
        avgPoolNoHelpers.run();
        return yAvg;
    }

    /** As rawAvgForwardBackward with the oneDNN helper off, as Pool runs it. */
    @Benchmark
    public void rawAvgForwardBackwardNoHelpers(Blackhole bh) {
        avgPoolNoHelpers.run();
        avgPoolBpNoHelpers.run();
        bh.consume(yAvg);
        bh.consume(gradAvg);
    }

}

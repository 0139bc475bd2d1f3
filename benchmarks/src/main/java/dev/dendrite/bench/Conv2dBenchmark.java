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
 * A 3×3 convolution where the kernels dominate: x [32,64,32,32], W [64,64,3,3], stride 1, padding 1, no
 * bias, float32. Dendrite's conv primitive ({@link CnnF#conv2d}) on leaves, against libnd4j's {@code conv2d}
 * and {@code conv2d_bp} bound once to preallocated arrays ({@link NativeCall}, the floor). The raw backward
 * gets gradO = ones, which is what backward of Σy feeds the Dendrite conv.
 *
 * <p>Forward: 2·32·64·32·32·64·9 ≈ 2.42 GFLOP; backward (dx and dW) about twice that, ≈ 7.25 GFLOP in all.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgs = {"-Dorg.bytedeco.javacpp.maxPhysicalBytes=4g", "-Xmx2g"})
public class Conv2dBenchmark extends OffHeapState {
    private static final long SEED = 7;
    private static final long[] X_SHAPE = {32, 64, 32, 32};
    private static final long[] W_SHAPE = {64, 64, 3, 3};
    private static final long[] STRIDE = {1, 1};
    private static final long[] PADS = {1, 1, 1, 1};
    private static final long[] DILATION = {1, 1};
    /** kH, kW, sH, sW, pH, pW, dH, dW, sameMode 0, NCHW 0, weight format 1 = [oC, iC, kH, kW]. */
    private static final long[] I_ARGS = {3, 3, 1, 1, 1, 1, 1, 1, 0, 0, 1};

    private Tensor tx;
    private Tensor tw;

    private INDArray y;
    private INDArray gradI;
    private INDArray gradW;
    private NativeCall conv;
    private NativeCall convBp;

    @Setup
    public void setUp() {
        Nd4j.getRandom().setSeed(SEED);
        INDArray x = Nd4j.randn(DataType.FLOAT, X_SHAPE);
        INDArray w = Nd4j.randn(DataType.FLOAT, W_SHAPE).muli(1.0 / Math.sqrt(64 * 9));
        tx = Tensor.leaf(x);
        tw = Tensor.leaf(w);

        y = Nd4j.create(DataType.FLOAT, X_SHAPE[0], W_SHAPE[0], X_SHAPE[2], X_SHAPE[3]);
        INDArray gradO = Nd4j.ones(DataType.FLOAT, y.shape());
        gradI = Nd4j.create(DataType.FLOAT, X_SHAPE);
        gradW = Nd4j.create(DataType.FLOAT, W_SHAPE);
        conv = new NativeCall("conv2d", new INDArray[] {x, w}, new INDArray[] {y}, I_ARGS, null);
        convBp = new NativeCall("conv2d_bp", new INDArray[] {x, w, gradO}, new INDArray[] {gradI, gradW}, I_ARGS,
                null);
    }


    // ---- forward only ----

    @Benchmark
    @SuppressWarnings("try") // the scope is only opened and closed
    public Tensor dendriteForward() {
        try (GradMode.Scope s = GradMode.off()) {
            return CnnF.conv2d(tx, tw, null, STRIDE, PADS, DILATION, 1);
        }
    }

    @Benchmark
    public INDArray rawForward() {
        conv.run();
        return y;
    }

    // ---- forward + backward ----

    @Benchmark
    public void dendriteForwardBackward(Blackhole bh) {
        tx.zeroGrad();
        tw.zeroGrad();
        Tensor loss = F.sum(CnnF.conv2d(tx, tw, null, STRIDE, PADS, DILATION, 1), false);
        loss.backward();
        bh.consume(loss);
        bh.consume(tx.grad());
        bh.consume(tw.grad());
    }

    /** conv2d then conv2d_bp (gradO = ones), all outputs preallocated. */
    @Benchmark
    public void rawForwardBackward(Blackhole bh) {
        conv.run();
        convBp.run();
        bh.consume(y);
        bh.consume(gradI);
        bh.consume(gradW);
    }
}

package dev.dendrite.bench;

import java.util.concurrent.TimeUnit;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.scalar.Step;
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

/**
 * Each kernel choice the primitives make, as the pair of alternatives it chose between, bound once to
 * preallocated arrays (as a compiled step replays them), at LeNet-5's batch-64 shapes. Methods are named
 * {@code what_alternative}; the kept one is the second of each pair. benchmarks/README.md ("Kernel choices")
 * has the figures.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgs = {"-Dorg.bytedeco.javacpp.maxPhysicalBytes=4g", "-Xmx2g"})
public class KernelChoiceBenchmark extends OffHeapState {
    /** conv1's output: [64, 6, 28, 28]. */
    private static final long[] MAP = {64, 6, 28, 28};
    /** kH, kW, sH, sW, pH, pW, dH, dW, same 0, NCHW 0, weights OIHW 1: LeNet-5's conv1 (5×5, padding 2). */
    private static final long[] CONV1 = {5, 5, 1, 1, 2, 2, 1, 1, 0, 0, 1};
    private static final long[] POOL = {2, 2, 2, 2, 0, 0, 1, 1, 0, 0, 0};

    private NativeCall reluBp;
    private Step step;
    private NativeCall stepMultiply;
    private NativeCall poolOwn;
    private NativeCall poolOneDnn;
    private NativeCall poolBpOwn;
    private NativeCall poolBpOneDnn;
    private NativeCall conv1Bp;
    private NativeCall permuteGrad;
    private NativeCall conv1WeightsAsForward;
    private NativeCall assignPermutedView;
    private NativeCall permuteOp;
    private NativeCall reduceSum023;
    private NativeCall gemvOnes;
    private NativeCall sumBatch;
    private NativeCall reduceSumRows;
    private NativeCall gemvOnesRows;

    @Setup
    public void setUp() {
        Nd4j.getRandom().setSeed(7);
        INDArray a = Nd4j.randn(DataType.FLOAT, MAP);
        INDArray g = Nd4j.randn(DataType.FLOAT, MAP);
        INDArray out = Nd4j.create(DataType.FLOAT, MAP);
        INDArray mask = Nd4j.create(DataType.FLOAT, MAP);
        reluBp = new NativeCall("relu_bp", new INDArray[] {a, g}, new INDArray[] {out}, null, null);
        step = new Step(a, mask, 0.0);
        stepMultiply = new NativeCall("multiply", new INDArray[] {mask, g}, new INDArray[] {mask}, null, null);

        long[] pooled = {64, 6, 14, 14};
        INDArray p = Nd4j.create(DataType.FLOAT, pooled);
        INDArray gp = Nd4j.randn(DataType.FLOAT, pooled);
        poolOwn = new NativeCall("maxpool2d", new INDArray[] {a}, new INDArray[] {p}, POOL, null, false);
        poolOneDnn = new NativeCall("maxpool2d", new INDArray[] {a}, new INDArray[] {p}, POOL, null, true);
        poolBpOwn = new NativeCall("maxpool2d_bp", new INDArray[] {a, gp}, new INDArray[] {out}, POOL, null, false);
        poolBpOneDnn = new NativeCall("maxpool2d_bp", new INDArray[] {a, gp}, new INDArray[] {out}, POOL, null, true);

        INDArray x = Nd4j.randn(DataType.FLOAT, 64, 1, 28, 28);
        INDArray w = Nd4j.randn(DataType.FLOAT, 6, 1, 5, 5);
        conv1Bp = new NativeCall("conv2d_bp", new INDArray[] {x, w, g},
                new INDArray[] {Nd4j.create(DataType.FLOAT, 64, 1, 28, 28), Nd4j.create(DataType.FLOAT, 6, 1, 5, 5)},
                CONV1, null);
        INDArray gT = Nd4j.create(DataType.FLOAT, 6, 64, 28, 28);
        permuteGrad = new NativeCall("permute", new INDArray[] {g}, new INDArray[] {gT}, new long[] {1, 0, 2, 3}, null);
        conv1WeightsAsForward = new NativeCall("conv2d", new INDArray[] {x.reshape('c', 1, 64, 28, 28), gT},
                new INDArray[] {Nd4j.create(DataType.FLOAT, 1, 6, 5, 5)}, new long[] {28, 28, 1, 1, 2, 2, 1, 1, 0, 0, 1},
                null);

        assignPermutedView = new NativeCall("assign", new INDArray[] {gT, g.permute(1, 0, 2, 3)}, new INDArray[] {gT},
                null, null);
        permuteOp = permuteGrad;

        INDArray bias = Nd4j.create(DataType.FLOAT, 6);
        reduceSum023 = new NativeCall("reduce_sum", new INDArray[] {g}, new INDArray[] {bias}, new long[] {0, 2, 3},
                null);
        INDArray perRow = Nd4j.create(DataType.FLOAT, 64 * 6, 1);
        gemvOnes = new NativeCall("matmul", new INDArray[] {g.reshape('c', 64 * 6, 784),
            Nd4j.ones(DataType.FLOAT, 784, 1)}, new INDArray[] {perRow}, new long[] {0, 0}, null);
        sumBatch = new NativeCall("reduce_sum", new INDArray[] {perRow.reshape('c', 64, 6)}, new INDArray[] {bias},
                new long[] {0}, null);

        INDArray hidden = Nd4j.randn(DataType.FLOAT, 2048, 512);
        INDArray column = Nd4j.create(DataType.FLOAT, 1, 512);
        reduceSumRows = new NativeCall("reduce_sum", new INDArray[] {hidden}, new INDArray[] {column.reshape(512)},
                new long[] {0}, null);
        gemvOnesRows = new NativeCall("matmul", new INDArray[] {Nd4j.ones(DataType.FLOAT, 1, 2048), hidden},
                new INDArray[] {column}, new long[] {0, 0}, null);
    }

    @Benchmark
    public void reluBackward_reluBp() {
        reluBp.run();
    }

    @Benchmark
    public void reluBackward_stepMultiply() {
        Nd4j.getExecutioner().exec(step);
        stepMultiply.run();
    }

    @Benchmark
    public void maxPool_libnd4j() {
        poolOwn.run();
    }

    @Benchmark
    public void maxPool_oneDnn() {
        poolOneDnn.run();
    }

    @Benchmark
    public void maxPoolBackward_libnd4j() {
        poolBpOwn.run();
    }

    @Benchmark
    public void maxPoolBackward_oneDnn() {
        poolBpOneDnn.run();
    }

    @Benchmark
    public void conv1Backward_conv2dBp() {
        conv1Bp.run();
    }

    @Benchmark
    public void conv1Backward_weightsAsForwardConv() {
        permuteGrad.run();
        conv1WeightsAsForward.run();
    }

    @Benchmark
    public void permutedCopy_assignView() {
        assignPermutedView.run();
    }

    @Benchmark
    public void permutedCopy_permuteOp() {
        permuteOp.run();
    }

    @Benchmark
    public void biasGradient_reduceSum() {
        reduceSum023.run();
    }

    @Benchmark
    public void biasGradient_gemvOnes() {
        gemvOnes.run();
        sumBatch.run();
    }

    /** Σ over the rows of a [2048, 512] activation gradient (a transformer's feed-forward bias). */
    @Benchmark
    public void leadingSum_reduceSum() {
        reduceSumRows.run();
    }

    @Benchmark
    public void leadingSum_gemvOnes() {
        gemvOnesRows.run();
    }
}

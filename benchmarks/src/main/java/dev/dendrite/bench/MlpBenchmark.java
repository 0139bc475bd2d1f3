package dev.dendrite.bench;

import dev.dendrite.tensor.Tensor;
import java.util.Map;
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
 * One full training step of an MLP 784-256-10 (dense, relu, dense) at batch 256, as
 * {@link dev.dendrite.train.Trainer} runs it: zeroGrad, forward through the model built from {@link #SPEC}
 * (through a Guice {@link DendriteModule}'s LayerContext), the spec's cross_entropy loss, backward, the spec's
 * SGD step (lr 0.01, momentum 0.9), the loss value read. Input float32 [256, 784] from a fixed seed, int64
 * labels in [0, 10), the same batch every step.
 *
 * <p>{@code rawTrainStep} is the same arithmetic by hand on copies of the model's initial weights, as 34
 * libnd4j ops bound once to preallocated arrays ({@link NativeCall}): matmul (transB), add b, relu, matmul, add
 * b, log_softmax; loss = −Σ(log p·onehot)/B (the one-hot labels made once, in setup); dlogits = (softmax −
 * onehot)/B, dW2, db2, dh, ReLU backward (step, multiply), dW1, db1 (a GEMV); per parameter buf = 0.9·buf + g, p −= 0.01·buf. It is the floor
 * for this step in ND4J, so Dendrite / raw is the framework's overhead on a whole step. About 2·256·784·256 ≈
 * 103 MFLOP forward, ≈ 0.31 GFLOP per step (the second layer adds 1%).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgs = {"-Dorg.bytedeco.javacpp.maxPhysicalBytes=4g", "-Xmx2g"})
public class MlpBenchmark extends OffHeapState {
    private static final long SEED = 42;
    private static final int BATCH = 256;
    private static final int IN = 784;
    private static final int HIDDEN = 256;
    private static final int CLASSES = 10;
    private static final double LR = 0.01;
    private static final double MOMENTUM = 0.9;
    private TrainingStep step;
    private TrainingStep eager;

    private Runnable[] rawStep;
    private INDArray lossSum;

    @Setup
    public void setUp() {
        step = TrainingStep.mlp(BATCH, SEED);
        eager = TrainingStep.mlp(BATCH, SEED, false);
        setUpRaw(step.features.data(), step.labels.data(), step.model.parameters());
    }

    private void setUpRaw(INDArray x, INDArray y, Map<String, Tensor> params) {
        INDArray w1 = params.get("fc1.weight").data().dup();
        INDArray b1 = params.get("fc1.bias").data().dup();
        INDArray w2 = params.get("fc2.weight").data().dup();
        INDArray b2 = params.get("fc2.bias").data().dup();
        INDArray oneHot = Nd4j.zeros(DataType.FLOAT, BATCH, CLASSES);
        for (int i = 0; i < BATCH; i++) {
            oneHot.putScalar(i, y.getLong(i), 1.0);
        }
        INDArray z1 = f(BATCH, HIDDEN);
        INDArray h = f(BATCH, HIDDEN);
        INDArray z2 = f(BATCH, CLASSES);
        INDArray logp = f(BATCH, CLASSES);
        INDArray picked = f(BATCH, CLASSES);
        lossSum = Nd4j.scalar(DataType.FLOAT, 0f);
        INDArray d2 = f(BATCH, CLASSES);
        INDArray dh = f(BATCH, HIDDEN);
        INDArray dz1 = f(BATCH, HIDDEN);
        INDArray dw1 = f(HIDDEN, IN);
        INDArray db1 = f(HIDDEN);
        INDArray dw2 = f(CLASSES, HIDDEN);
        INDArray db2 = f(CLASSES);
        long[] lastAxis = {1};
        long[] batchAxis = {0};
        double[] cutoff = {0.0};
        Step reluMask = new Step(z1, dz1, 0.0);
        Runnable[] forwardBackward = {
            call("matmul", in(x, w1), z1, new long[] {0, 1}, null),
            call("add", in(z1, b1), z1, null, null),
            call("relu", in(z1), h, null, cutoff),
            call("matmul", in(h, w2), z2, new long[] {0, 1}, null),
            call("add", in(z2, b2), z2, null, null),
            call("log_softmax", in(z2), logp, lastAxis, null),
            call("multiply", in(logp, oneHot), picked, null, null),
            call("reduce_sum", in(picked), lossSum, null, null),
            call("softmax", in(z2), d2, lastAxis, null),
            call("subtract", in(d2, oneHot), d2, null, null),
            call("multiply", in(d2, Nd4j.scalar(DataType.FLOAT, 1.0 / BATCH)), d2, null, null),
            call("matmul", in(d2, h), dw2, new long[] {1, 0}, null),
            call("reduce_sum", in(d2), db2, batchAxis, null),
            call("matmul", in(d2, w2), dh, new long[] {0, 0}, null),
            // ReLU backward as Dendrite runs it (step, then multiply in place): relu_bp is 7x slower.
            () -> Nd4j.getExecutioner().exec(reluMask),
            call("multiply", in(dz1, dh), dz1, null, null),
            call("matmul", in(dz1, x), dw1, new long[] {1, 0}, null),
            // Σ over the batch of a [256, 256] gradient as a GEMV against ones, as Kernels.reduceSum on one thread.
            call("matmul", in(Nd4j.ones(DataType.FLOAT, 1, BATCH), dz1), db1.reshape(1, HIDDEN), new long[] {0, 0},
                    null),
        };
        INDArray momentum = Nd4j.scalar(DataType.FLOAT, MOMENTUM);
        INDArray lr = Nd4j.scalar(DataType.FLOAT, LR);
        INDArray[][] paramGrad = {{w1, dw1}, {b1, db1}, {w2, dw2}, {b2, db2}};
        rawStep = new Runnable[forwardBackward.length + 4 * paramGrad.length];
        System.arraycopy(forwardBackward, 0, rawStep, 0, forwardBackward.length);
        int k = forwardBackward.length;
        for (INDArray[] pg : paramGrad) {
            INDArray p = pg[0];
            INDArray g = pg[1];
            INDArray buf = Nd4j.zeros(DataType.FLOAT, p.shape());
            INDArray scaled = Nd4j.create(DataType.FLOAT, p.shape());
            rawStep[k++] = call("multiply", in(buf, momentum), buf, null, null);
            rawStep[k++] = call("add", in(buf, g), buf, null, null);
            rawStep[k++] = call("multiply", in(buf, lr), scaled, null, null);
            rawStep[k++] = call("subtract", in(p, scaled), p, null, null);
        }
    }

    private static INDArray f(long... shape) {
        return Nd4j.create(DataType.FLOAT, shape);
    }

    private static INDArray[] in(INDArray... a) {
        return a;
    }

    private static NativeCall call(String op, INDArray[] inputs, INDArray output, long[] iArgs, double[] tArgs) {
        return new NativeCall(op, inputs, new INDArray[] {output}, iArgs, tArgs);
    }

    /** Trainer.trainStep: the returned loss value is read, as the trainer does. */
    /** The step as the Trainer runs it: compiled (captured once, then replayed). */
    @Benchmark
    public double dendriteTrainStep() {
        return step.run();
    }

    /** The same step with every primitive run eagerly ({@code --eager}). */
    @Benchmark
    public double dendriteEagerTrainStep() {
        return eager.run();
    }

    /** The same step as 34 bound native calls; the loss value is read back the same way. */
    @Benchmark
    public double rawTrainStep() {
        for (Runnable c : rawStep) {
            c.run();
        }
        return -lossSum.getDouble(0) / BATCH;
    }
}

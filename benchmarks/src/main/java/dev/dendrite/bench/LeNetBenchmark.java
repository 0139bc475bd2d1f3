package dev.dendrite.bench;

import dev.dendrite.reference.models.LeNet5;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One full LeNet-5 training step, as {@link dev.dendrite.train.Trainer} runs it: zeroGrad, forward through
 * the model built from {@link LeNet5}'s spec (through a Guice {@link DendriteModule}'s LayerContext), the
 * spec's cross_entropy loss, backward, the spec's SGD step (lr 0.01, momentum 0.9). Input float32 [B, 784]
 * from a fixed seed, int64 labels in [0, 10). The same batch every step: the cost does not depend on the
 * values. Samples/s = batch / (ms/op) · 1000.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 6, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgs = {"-Dorg.bytedeco.javacpp.maxPhysicalBytes=4g", "-Xmx2g"})
public class LeNetBenchmark extends OffHeapState {
    private static final long SEED = 42;

    @Param({"64", "256"})
    public int batch;

    private TrainingStep step;
    private TrainingStep eager;

    @Setup
    public void setUp() {
        step = TrainingStep.of(new LeNet5().spec(), batch, SEED);
        eager = TrainingStep.of(new LeNet5().spec(), batch, SEED, false);
    }

    /** Trainer.trainStep, compiled as the Trainer runs it: the returned loss value is read, as the trainer does. */
    @Benchmark
    public double trainStep() {
        return step.run();
    }

    /** The same step eagerly ({@code --eager}). */
    @Benchmark
    public double eagerTrainStep() {
        return eager.run();
    }
}

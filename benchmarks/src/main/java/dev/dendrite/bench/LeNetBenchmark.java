package dev.dendrite.bench;

import com.google.inject.Guice;
import com.google.inject.Injector;
import dev.dendrite.inject.DendriteModule;
import dev.dendrite.inject.Registries;
import dev.dendrite.inject.Settings;
import dev.dendrite.loss.Loss;
import dev.dendrite.nn.Layer;
import dev.dendrite.nn.LayerContext;
import dev.dendrite.optim.Optimizer;
import dev.dendrite.reference.models.LeNet5;
import dev.dendrite.tensor.Tensor;
import dev.dendrite.train.Components;
import dev.dendrite.train.TrainingSpec;
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

    private Layer model;
    private Loss loss;
    private Optimizer opt;
    private Tensor features;
    private Tensor labels;

    @Setup
    public void setUp() {
        TrainingSpec spec = new LeNet5().spec();
        Injector injector = Guice.createInjector(new DendriteModule(Settings.defaults().withSeed(spec.seed())));
        LayerContext ctx = injector.getInstance(LayerContext.class);
        Registries registries = injector.getInstance(Registries.class);
        model = ctx.build(spec.model());
        model.train(true);
        loss = Components.loss(registries, spec.loss());
        opt = Components.optimizer(registries, spec.optimizer(), model.parameters());
        Nd4j.getRandom().setSeed(SEED);
        features = Tensor.of(Nd4j.rand(DataType.FLOAT, batch, 784));
        INDArray y = Nd4j.rand(DataType.FLOAT, batch).muli(10).castTo(DataType.LONG);
        labels = Tensor.of(y);
    }


    /** Trainer.trainStep: the returned loss value is read, as the trainer does. */
    @Benchmark
    public double trainStep() {
        opt.zeroGrad();
        Tensor out = model.forward(features);
        Tensor l = loss.apply(out, labels);
        l.backward();
        opt.step();
        return l.item();
    }
}

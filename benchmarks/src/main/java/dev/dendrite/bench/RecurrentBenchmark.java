package dev.dendrite.bench;

import dev.dendrite.inject.Registries;
import dev.dendrite.nn.Layer;
import dev.dendrite.nn.LayerContext;
import dev.dendrite.nn.LayerSpec;
import dev.dendrite.ops.F;
import dev.dendrite.random.Rng;
import dev.dendrite.spi.Json;
import dev.dendrite.tensor.Tensor;
import java.util.concurrent.TimeUnit;
import org.nd4j.linalg.api.buffer.DataType;
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
 * One recurrent layer's training step — zeroGrad, forward over the whole sequence, loss = Σ outputs, backward to
 * the input and every parameter — for the rnn plugin's three layers at the harness's {@code lstm_train_b32} size:
 * T = 50 steps, batch 32, 128 inputs, 256 hidden units, time-first, one direction.
 *
 * <ul>
 *   <li>{@code lstmStep}: ND4J's fused {@code lstmLayer} forward and {@code lstmLayer_bp} backward.
 *   <li>{@code gruStep}: the plugin's own GRU recurrence (ND4J's {@code gru_bp} is wrong): per step one GEMM
 *       with R and the gate arithmetic, the input GEMMs batched over all steps.
 *   <li>{@code rnnStep}: the tanh RNN on the same scheme, a quarter of LSTM's GEMM work: rnn / lstm shows how much
 *       of a step is arithmetic and how much per-step overhead.
 * </ul>
 * Float32, the layers' own initialisers (U(±1/√H)), x ~ N(0, 1) from a fixed seed; one thread, as the harness.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgs = {"-Dorg.bytedeco.javacpp.maxPhysicalBytes=4g", "-Xmx2g"})
public class RecurrentBenchmark extends OffHeapState {
    private static final long SEED = 5;
    private static final int STEPS = 50;
    private static final int BATCH = 32;
    private static final int IN = 128;
    private static final int HIDDEN = 256;

    private Tensor x;
    private Layer lstm;
    private Layer gru;
    private Layer rnn;

    @Setup
    public void setUp() {
        LayerContext ctx = new LayerContext(DataType.FLOAT, new Rng(SEED),
                Registries.discover(RecurrentBenchmark.class.getClassLoader()).layers());
        String config = "{\"inputSize\": " + IN + ", \"hiddenSize\": " + HIDDEN + ", \"numLayers\": 1, \"bias\": true,"
                + " \"batchFirst\": false, \"dropout\": 0, \"bidirectional\": false";
        lstm = ctx.build(spec("lstm", config + "}"));
        gru = ctx.build(spec("gru", config + "}"));
        rnn = ctx.build(spec("rnn", config + ", \"nonlinearity\": \"tanh\"}"));
        Nd4j.getRandom().setSeed(SEED);
        x = Tensor.leaf(Nd4j.randn(DataType.FLOAT, STEPS, BATCH, IN));
    }

    static LayerSpec spec(String type, String config) {
        return Json.read("{\"type\": \"" + type + "\", \"config\": " + config + "}", LayerSpec.class);
    }

    /** zeroGrad, forward, Σ output, backward; the input's gradient too, as a layer inside a network needs it. */
    static void step(Layer layer, Tensor x, Blackhole bh) {
        layer.parameters().values().forEach(Tensor::zeroGrad);
        x.zeroGrad();
        Tensor loss = F.sum(layer.forward(x), false);
        loss.backward();
        bh.consume(loss);
        bh.consume(x.grad());
        layer.parameters().values().forEach(p -> bh.consume(p.grad()));
    }

    @Benchmark
    public void lstmStep(Blackhole bh) {
        step(lstm, x, bh);
    }

    @Benchmark
    public void gruStep(Blackhole bh) {
        step(gru, x, bh);
    }

    @Benchmark
    public void rnnStep(Blackhole bh) {
        step(rnn, x, bh);
    }
}

package dev.dendrite.bench;

import dev.dendrite.inject.Registries;
import dev.dendrite.nn.Layer;
import dev.dendrite.nn.LayerContext;
import dev.dendrite.nn.LayerSpec;
import dev.dendrite.ops.F;
import dev.dendrite.random.Rng;
import dev.dendrite.spi.Json;
import dev.dendrite.tensor.Tensor;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * One layer's training step — zeroGrad, forward, loss = Σy, backward to the layer's parameters (the input is a
 * constant, as a first layer's is) — for a Gaussian RBF layer of 784 inputs and 400 centres at batch 128, next to
 * the same-size {@code dense} layer (784 → 400) in the same run, and next to the textbook formulation of the same
 * units.
 *
 * <ul>
 *   <li>{@code rbfStep}: the {@code rbf} layer (plugin {@code kernel}), which computes ‖x − c‖² as ‖x‖² − 2x·cᵀ +
 *       ‖c‖², one GEMM of 2·128·784·400 ≈ 80 MFLOP, then γ and exp on [128, 400]; learnable γ.
 *   <li>{@code denseStep}: {@code dense} 784 → 400 with bias: the same GEMM, so rbf / dense is what the
 *       distance algebra and the Gaussian cost on top of a plain linear layer.
 *   <li>{@code naiveRbfStep}: the same units on the same parameters written the direct way, an explicit
 *       [128, 400, 784] difference tensor (x[:, None, :] − c[None, :, :], 40 M elements, 160 MB in float32)
 *       squared with {@code F.pow} and summed over the last axis with {@code F.sum}, then the same γ and exp.
 *       naive / rbf is the GEMM formulation's gain.
 * </ul>
 *
 * <p>Float32, parameters from the layers' own initialisers (centres N(0, 1), γ = 1/784; dense kaiming uniform),
 * x uniform in [0, 1) from a fixed seed. One benchmark thread; {@code run.sh} runs it on {@code OMP_NUM_THREADS=1},
 * the comparison harness's default, so the figures sit next to its {@code rbf_train_b128} row.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgs = {"-Dorg.bytedeco.javacpp.maxPhysicalBytes=4g", "-Xmx2g"})
public class RbfBenchmark extends OffHeapState {
    private static final long SEED = 11;
    private static final int BATCH = 128;
    private static final int IN = 784;
    private static final int CENTRES = 400;

    private Tensor x;
    private Layer rbf;
    private Layer dense;
    private Tensor centres;
    private Tensor logGamma;

    @Setup
    public void setUp() {
        LayerContext ctx = new LayerContext(DataType.FLOAT, new Rng(SEED),
                Registries.discover(RbfBenchmark.class.getClassLoader()).layers());
        rbf = ctx.build(spec("rbf", "{\"in\": " + IN + ", \"centres\": " + CENTRES + ", \"learnGamma\": true}"));
        dense = ctx.build(spec("dense", "{\"in\": " + IN + ", \"out\": " + CENTRES + "}"));
        rbf.train(true);
        dense.train(true);
        centres = rbf.parameters().get("centres");
        logGamma = rbf.parameters().get("log_gamma");
        Nd4j.getRandom().setSeed(SEED);
        x = Tensor.of(Nd4j.rand(DataType.FLOAT, BATCH, IN));
    }

    private static LayerSpec spec(String type, String config) {
        return Json.read("{\"type\": \"" + type + "\", \"config\": " + config + "}", LayerSpec.class);
    }

    private static void step(Layer layer, Tensor x, Blackhole bh) {
        Map<String, Tensor> params = layer.parameters();
        params.values().forEach(Tensor::zeroGrad);
        Tensor loss = F.sum(layer.forward(x), false);
        loss.backward();
        bh.consume(loss);
        params.values().forEach(p -> bh.consume(p.grad()));
    }

    /** The rbf layer: ‖x‖² − 2x·cᵀ + ‖c‖² (one GEMM), clamp, γ, exp; gradients of centres and log γ. */
    @Benchmark
    public void rbfStep(Blackhole bh) {
        step(rbf, x, bh);
    }

    /** dense 784 → 400: x·Wᵀ + b, gradients of W and b. The baseline for rbfStep. */
    @Benchmark
    public void denseStep(Blackhole bh) {
        step(dense, x, bh);
    }

    /**
     * The same units on the rbf layer's own parameters through the [128, 400, 784] difference tensor:
     * d² = Σ_in (x[:, None, :] − c[None, :, :])², y = exp(−γ·d²). Each call makes several 160 MB arrays (the
     * difference, its square, and their gradients), so the off-heap memory is collected after every call
     * ({@link PerCallGc}, outside the timing) instead of once per iteration.
     */
    @Benchmark
    @Warmup(iterations = 3, time = 2)
    @Measurement(iterations = 5, time = 2)
    public void naiveRbfStep(PerCallGc gc, Blackhole bh) {
        centres.zeroGrad();
        logGamma.zeroGrad();
        Tensor diff = F.sub(F.reshape(x, BATCH, 1, IN), F.reshape(centres, 1, CENTRES, IN));
        Tensor d2 = F.sum(F.pow(diff, 2.0), false, 2);
        Tensor y = F.exp(F.neg(F.mul(d2, F.exp(logGamma))));
        Tensor loss = F.sum(y, false);
        loss.backward();
        bh.consume(loss);
        bh.consume(centres.grad());
        bh.consume(logGamma.grad());
    }

    /** A System.gc() after every invocation (outside the timing): the naive step's arrays are large. */
    @State(Scope.Thread)
    public static class PerCallGc {
        @TearDown(Level.Invocation)
        public void collect() {
            System.gc();
        }
    }
}

package dev.dendrite.bench;

import dev.dendrite.data.ArrayDataset;
import dev.dendrite.inject.Registries;
import dev.dendrite.kernel.KMeans;
import dev.dendrite.kernel.elm.RidgeReadout;
import dev.dendrite.nn.LayerContext;
import dev.dendrite.nn.LayerSpec;
import dev.dendrite.nn.Sequential;
import dev.dendrite.random.Rng;
import dev.dendrite.spi.Json;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
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

/**
 * The kernel plugin's closed-form fits, each a whole call of seconds, timed once per iteration
 * ({@code SingleShotTime}) on 10,000 × 784 float32 inputs uniform in [0, 1) with int64 labels in [0, 10) from a
 * fixed seed (MNIST-sized, random).
 *
 * <ul>
 *   <li>{@code ridgeReadoutFit}: an extreme learning machine — {@code dense} 784 → 2000 (random, frozen),
 *       {@code sigmoid}, {@code dense} 2000 → 10 — whose head {@link RidgeReadout} (λ = 1e-3, batches of 1000)
 *       fits in closed form: the body's forward over the 10,000 rows (≈ 31 GFLOP), HᵀH [2001, 2001] and HᵀT
 *       accumulated per batch (≈ 80 GFLOP in float32, summed in float64), then a float64 Cholesky solve.
 *   <li>{@code kMeansFit}: {@link KMeans#fit} with k = 400 and at most 5 Lloyd passes (uniform data never
 *       settles that fast, so all 5 run): greedy k-means++ seeding (400 rounds of a [10000, 7] distance GEMM),
 *       then per pass a [10000, 400] distance GEMM (≈ 6.3 GFLOP), argmin and the centroid GEMM (≈ 6.3 GFLOP).
 * </ul>
 *
 * <p>Each fit starts from the same state (the readout overwrites only the head, which the fit does not read;
 * k-means gets a fresh {@link Rng} of the same seed). At the end of the trial the last fit's own split (readout:
 * features vs solve seconds; k-means: passes run, inertia) is printed to the fork's output.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(value = 1, jvmArgs = {"-Dorg.bytedeco.javacpp.maxPhysicalBytes=4g", "-Xmx2g"})
public class KernelFitBenchmark extends OffHeapState {
    private static final long SEED = 13;
    private static final int N = 10_000;
    private static final int IN = 784;
    private static final int FEATURES = 2000;
    private static final int CLASSES = 10;
    private static final int K = 400;
    private static final int KMEANS_ITERATIONS = 5;
    private static final double RIDGE = 1e-3;
    private static final int READOUT_BATCH = 1000;

    private static final String ELM_SPEC = """
            {"type": "sequential", "config": {"layers": [
               {"type": "dense", "name": "hidden", "config": {"in": %d, "out": %d}},
               {"type": "sigmoid", "name": "act"},
               {"type": "dense", "name": "head", "config": {"in": %d, "out": %d}}]}}"""
            .formatted(IN, FEATURES, FEATURES, CLASSES);

    private INDArray x;
    private ArrayDataset data;
    private Sequential elm;
    private RidgeReadout readout;
    private RidgeReadout.Fit lastFit;
    private KMeans.Result lastClustering;

    @Setup
    public void setUp() {
        Nd4j.getRandom().setSeed(SEED);
        x = Nd4j.rand(DataType.FLOAT, N, IN);
        INDArray labels = Nd4j.rand(DataType.FLOAT, N).muli(CLASSES).castTo(DataType.LONG);
        data = new ArrayDataset(x, labels, "uniform 10000x784, 10 random classes");
        LayerContext ctx = new LayerContext(DataType.FLOAT, new Rng(SEED),
                Registries.discover(KernelFitBenchmark.class.getClassLoader()).layers());
        elm = (Sequential) ctx.build(Json.read(ELM_SPEC, LayerSpec.class));
        readout = new RidgeReadout(RIDGE, READOUT_BATCH);
    }

    @Benchmark
    public RidgeReadout.Fit ridgeReadoutFit() {
        lastFit = readout.fit(elm, data);
        return lastFit;
    }

    @Benchmark
    public KMeans.Result kMeansFit() {
        lastClustering = KMeans.fit(x, K, KMEANS_ITERATIONS, new Rng(SEED));
        return lastClustering;
    }

    @TearDown(Level.Trial)
    public void report() {
        if (lastFit != null) {
            System.out.printf(Locale.ROOT, "%n[ridge readout] features+HᵀH %.2f s, solve %.2f s, train mse %.4f%n",
                    lastFit.featureSeconds(), lastFit.solveSeconds(), lastFit.trainMse());
        }
        if (lastClustering != null) {
            System.out.printf(Locale.ROOT, "%n[k-means] %d Lloyd passes, inertia %.4g%n", lastClustering.iterations(),
                    lastClustering.inertia());
        }
    }
}

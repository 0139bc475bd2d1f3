package dev.dendrite.gan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.inject.Injector;
import dev.dendrite.data.ArrayDataset;
import dev.dendrite.inject.Registries;
import dev.dendrite.nn.LayerContext;
import dev.dendrite.tensor.DendriteException;
import dev.dendrite.tensor.GradMode;
import dev.dendrite.tensor.Tensor;
import dev.dendrite.testkit.Compare;
import dev.dendrite.train.TrainingDivergedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.ndarray.INDArray;

class GanTrainerTest {
    private static final ArrayDataset REAL = Gans.real(2048);
    /** 640 steps: the mean is learned in ~100, the spread takes the rest (W1 0.06–0.41 from 2.78 when measured). */
    private static final int EPOCHS = 20;

    @TempDir
    Path dir;

    /**
     * Every loss, with and without smoothing where it applies, moves the generated distribution onto the data's:
     * the 1-D Wasserstein distance to N(3, 0.5²) falls to under a fifth of where it started.
     */
    @ParameterizedTest
    @CsvSource({"minimax, 0", "non_saturating, 0.1", "least_squares, 0", "hinge, 0"})
    void learnsAOneDimensionalGaussian(String loss, double smoothing) {
        GanSpec spec = Gans.spec(loss, smoothing, EPOCHS);
        GanRun run = Gans.fresh(spec, REAL);
        double before = wasserstein(samples(run));
        GanState end = new GanTrainer(List.of(), null).fit(run);
        INDArray after = samples(run);
        double distance = wasserstein(after);
        assertTrue(before > 2, "starts away from the data: " + before);
        assertTrue(distance < before / 5, loss + ": W1 " + before + " -> " + distance);
        assertEquals(EPOCHS, end.history().size());
        assertEquals(EPOCHS * 32L, end.discriminatorSteps(), "2048 examples in batches of 64");
        assertEquals(EPOCHS * 32L, end.generatorSteps());
    }

    /** W1 between samples and N(3, 0.5²): mean |sorted sample − the normal's quantile at the same rank|. */
    private static double wasserstein(INDArray samples) {
        double[] x = samples.dup().data().asDouble();
        java.util.Arrays.sort(x);
        org.apache.commons.math3.distribution.NormalDistribution n =
                new org.apache.commons.math3.distribution.NormalDistribution(Gans.MEAN, Gans.STD);
        double sum = 0;
        for (int i = 0; i < x.length; i++) {
            sum += Math.abs(x[i] - n.inverseCumulativeProbability((i + 0.5) / x.length));
        }
        return sum / x.length;
    }

    private static INDArray samples(GanRun run) {
        run.generator().train(false);
        try (GradMode.Scope off = GradMode.off()) {
            INDArray z = dev.dendrite.nn.Init.normal(new dev.dendrite.random.Rng(3), run.dtype(), 0, 1, 4000, 4);
            return run.generator().forward(Tensor.of(z)).data();
        } finally {
            run.generator().train(true);
        }
    }

    @Test
    void discriminatorStepsPerRoundSetTheRatio() {
        GanSpec spec = Gans.spec("non_saturating", 0, 2);
        spec = new GanSpec(spec.generator(), spec.discriminator(), spec.noise(), spec.loss(), 0.0, 4, 2,
                spec.generatorOptimizer(), spec.discriminatorOptimizer(), null, 2, 64, 7L, null);
        GanState s = Gans.train(spec, REAL);
        assertEquals(64, s.discriminatorSteps(), "32 batches an epoch, one discriminator step each");
        assertEquals(32, s.generatorSteps(), "two generator steps after every four discriminator steps");
    }

    /** Two epochs straight, or one, a checkpoint, a new process and one more: the same bits. */
    @Test
    void resumeIsBitExact() {
        GanSpec two = Gans.spec("non_saturating", 0.1, 2);
        Path straight = dir.resolve("straight.zip");
        Gans.train(two, REAL, new GanCheckpointWriter(straight), new GanMetricsCsv(dir.resolve("straight.csv")));
        Path first = dir.resolve("first.zip");
        Gans.train(Gans.spec("non_saturating", 0.1, 1), REAL, new GanCheckpointWriter(first));
        GanCheckpoint ck = GanCheckpoint.read(first);
        assertEquals(1, ck.state().epoch());
        Injector i = Gans.injector(ck.spec());
        GanRun resumed = GanRuns.resume(ck, 2, i.getInstance(LayerContext.class), i.getInstance(Registries.class), REAL);
        Path second = dir.resolve("second.zip");
        new GanTrainer(List.of(new GanCheckpointWriter(second), new GanMetricsCsv(dir.resolve("resumed.csv"))), null)
                .fit(resumed);
        GanCheckpoint a = GanCheckpoint.read(straight);
        GanCheckpoint b = GanCheckpoint.read(second);
        assertSame(a.generator(), b.generator());
        assertSame(a.discriminator(), b.discriminator());
        assertSame(a.generatorOptimizer(), b.generatorOptimizer());
        assertSame(a.discriminatorOptimizer(), b.discriminatorOptimizer());
        assertEquals(a.state().rngState(), b.state().rngState());
        assertEquals(a.spec(), b.spec());
        assertEquals(losses(dir.resolve("straight.csv")), losses(dir.resolve("resumed.csv")));
    }

    private static void assertSame(Map<String, INDArray> a, Map<String, INDArray> b) {
        assertEquals(a.keySet(), b.keySet());
        assertTrue(!a.isEmpty());
        a.forEach((k, v) -> Compare.assertBitEqual(k, b.get(k), v));
    }

    /** The CSV's loss and discriminator columns (timings differ between runs). */
    private static List<String> losses(Path csv) {
        try {
            return Files.readAllLines(csv).stream().map(l -> String.join(",", List.of(l.split(",")).subList(0, 5)))
                    .toList();
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void checkpointHoldsBothModelsAndBothOptimizers() {
        Path file = dir.resolve("ck.zip");
        Gans.train(Gans.spec("hinge", 0, 1), REAL, new GanCheckpointWriter(file));
        GanCheckpoint ck = GanCheckpoint.read(file);
        assertEquals(List.of("fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"), List.copyOf(ck.generator().keySet()));
        assertArrayEquals(new long[] {32, 1}, ck.discriminator().get("fc1.weight").shape());
        assertTrue(ck.generatorOptimizer().containsKey("fc1.weight/exp_avg"), ck.generatorOptimizer().keySet()
                .toString());
        assertArrayEquals(new long[] {32, 1}, ck.discriminatorOptimizer().get("fc1.weight/exp_avg").shape());
        assertEquals("hinge", ck.spec().loss().type());
    }

    @Test
    void aDamagedCheckpointIsNamed() throws Exception {
        Path file = dir.resolve("ck.zip");
        Gans.train(Gans.spec("hinge", 0, 1), REAL, new GanCheckpointWriter(file));
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        DendriteException e = assertThrows(DendriteException.class, () -> GanCheckpoint.read(file));
        assertTrue(e.getMessage().startsWith(file + ": not a readable GAN checkpoint (truncated or not a zip)"),
                e.getMessage());
        DendriteException missing = assertThrows(DendriteException.class,
                () -> GanCheckpoint.read(dir.resolve("none.zip")));
        assertEquals(dir.resolve("none.zip") + ": no such GAN checkpoint file", missing.getMessage());
    }

    /** A NaN in the data stops training at the step it reaches, naming the loss; the last checkpoint survives. */
    @Test
    void aNonFiniteLossStopsTrainingAndKeepsTheCheckpoint() {
        Path file = dir.resolve("ck.zip");
        GanSpec spec = Gans.spec("non_saturating", 0, 1);
        Gans.train(spec, REAL, new GanCheckpointWriter(file));
        INDArray bad = REAL.features().dup();
        bad.putScalar(5, Double.NaN);
        ArrayDataset poisoned = new ArrayDataset(bad, REAL.labels(), "poisoned");
        GanCheckpoint ck = GanCheckpoint.read(file);
        Injector i = Gans.injector(ck.spec());
        GanRun run = GanRuns.resume(ck, 2, i.getInstance(LayerContext.class), i.getInstance(Registries.class),
                poisoned);
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
                () -> new GanTrainer(List.of(new GanCheckpointWriter(file)), null).fit(run));
        assertTrue(e.getMessage().matches("GAN training diverged at epoch 2, discriminator step \\d+: the discriminator"
                + " loss is NaN; nothing was saved after epoch 1"), e.getMessage());
        assertEquals(1, GanCheckpoint.read(file).state().epoch(), "the epoch-1 checkpoint is intact");
    }

    @Test
    void hingeRefusesLabelSmoothing() {
        DendriteException e = assertThrows(DendriteException.class, () -> Gans.fresh(Gans.spec("hinge", 0.1, 1), REAL));
        assertEquals("labelSmoothing 0.1 cannot apply to the 'hinge' loss: it has a margin, not a target label for real"
                + " examples; set labelSmoothing to 0", e.getMessage());
    }

    @Test
    void specErrorsNameTheField() {
        DendriteException e = assertThrows(DendriteException.class,
                () -> dev.dendrite.spi.Json.read("{\"noise\": [4], \"epochs\": 1}", GanSpec.class));
        assertTrue(e.getMessage().contains("a GAN spec needs \"generator\", \"discriminator\", \"generatorOptimizer\","
                + " \"discriminatorOptimizer\", \"batchSize\""), e.getMessage());
        GanSpec ok = Gans.spec("minimax", 0, 1);
        DendriteException smoothing = assertThrows(DendriteException.class, () -> new GanSpec(ok.generator(),
                ok.discriminator(), ok.noise(), ok.loss(), 1.0, 1, 1, ok.generatorOptimizer(),
                ok.discriminatorOptimizer(), null, 1, 8, 1L, null));
        assertEquals("labelSmoothing must be in [0, 1), got 1.0", smoothing.getMessage());
        DendriteException unknown = assertThrows(DendriteException.class,
                () -> Gans.fresh(Gans.spec("wasserstein", 0, 1), REAL));
        assertEquals("unknown GAN loss 'wasserstein'; known GAN loss ids: hinge, least_squares, minimax,"
                + " non_saturating", unknown.getMessage());
    }

    /** DCGAN's initialisation: weights N(0, std), normalisation scales N(1, std), biases zero. */
    @Test
    void normalInitDrawsDcganWeights() {
        GanSpec spec = Gans.spec("minimax", 0, 1);
        spec = new GanSpec(spec.generator(), spec.discriminator(), spec.noise(), spec.loss(), 0.0, 1, 1,
                spec.generatorOptimizer(), spec.discriminatorOptimizer(), 0.02, 1, 64, 7L, null);
        GanRun run = Gans.fresh(spec, REAL);
        INDArray w = run.discriminator().parameters().get("fc1.weight").data();
        assertEquals(0.02, w.stdNumber().doubleValue(), 0.008);
        assertEquals(0, run.discriminator().parameters().get("fc1.bias").data().norm1Number().doubleValue());
        var norm = Gans.injector(spec).getInstance(LayerContext.class).build(dev.dendrite.spi.Json.read(
                "{\"type\": \"layer_norm\", \"config\": {\"normalizedShape\": [4000]}}",
                dev.dendrite.nn.LayerSpec.class));
        GanRuns.normalInit(norm, new dev.dendrite.random.Rng(1), 0.02);
        INDArray scale = norm.parameters().get("weight").data();
        assertEquals(1, scale.meanNumber().doubleValue(), 0.002);
        assertEquals(0.02, scale.stdNumber().doubleValue(), 0.002);
    }
}

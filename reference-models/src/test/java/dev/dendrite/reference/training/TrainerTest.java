package dev.dendrite.reference.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.inject.Guice;
import com.google.inject.Injector;
import dev.dendrite.data.ArrayDataset;
import dev.dendrite.data.Batch;
import dev.dendrite.data.Dataset;
import dev.dendrite.inject.DendriteModule;
import dev.dendrite.inject.Registries;
import dev.dendrite.inject.Settings;
import dev.dendrite.nn.Layer;
import dev.dendrite.nn.LayerContext;
import dev.dendrite.nn.Parameters;
import dev.dendrite.spi.Json;
import dev.dendrite.tensor.DendriteException;
import dev.dendrite.tensor.GradMode;
import dev.dendrite.tensor.Tensor;
import dev.dendrite.testkit.Compare;
import dev.dendrite.train.Checkpoint;
import dev.dendrite.train.CheckpointWriter;
import dev.dendrite.train.EarlyStopping;
import dev.dendrite.train.EpochStats;
import dev.dendrite.train.MetricsCsv;
import dev.dendrite.train.Runs;
import dev.dendrite.train.Trainer;
import dev.dendrite.train.TrainingDivergedException;
import dev.dendrite.train.TrainingListener;
import dev.dendrite.train.TrainingModule;
import dev.dendrite.train.TrainingRun;
import dev.dendrite.train.TrainingSpec;
import dev.dendrite.train.TrainingState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

class TrainerTest {
    private static final ArrayDataset TRAIN = Blobs.make(150, 1);
    private static final ArrayDataset TEST = Blobs.make(60, 2);

    @TempDir
    Path dir;

    /** A fresh process's worth of state: a new injector seeded from the spec. */
    private static Injector injector(TrainingSpec spec, TrainingListener... listeners) {
        return Guice.createInjector(new DendriteModule(Settings.defaults().withSeed(spec.seed())),
                new TrainingModule(listeners));
    }

    private static TrainingState train(TrainingSpec spec, Dataset train, TrainingListener... listeners) {
        Injector i = injector(spec, listeners);
        TrainingRun run = Runs.fresh(spec, i.getInstance(LayerContext.class), i.getInstance(Registries.class), train,
                TEST);
        return i.getInstance(Trainer.class).fit(run).state();
    }

    private static TrainingState resume(Path checkpoint, int epochs, TrainingListener... listeners) {
        Checkpoint ck = Checkpoint.read(checkpoint);
        Injector i = injector(ck.spec(), listeners);
        TrainingRun run = Runs.resume(ck, epochs, i.getInstance(LayerContext.class), i.getInstance(Registries.class),
                TRAIN, TEST);
        return i.getInstance(Trainer.class).fit(run).state();
    }

    /** Everything an epoch measured but its timing. */
    private static List<List<Double>> measured(TrainingState s) {
        return s.history().stream().map(e -> List.of((double) e.epoch(), e.trainLoss(), e.testLoss(),
                e.testAccuracy(), e.learningRate())).toList();
    }

    private static TrainingSpec spec(int epochs) {
        return Json.read(Blobs.spec(epochs), TrainingSpec.class);
    }

    @Test
    void aTrainerStrategyFitsAnExtremeLearningMachineWithoutAnOptimizer() throws Exception {
        // The kernel plugin's ridge_readout: random features (never trained) and a readout solved in closed form.
        TrainingSpec spec = Json.read("""
                {"model": {"type": "sequential", "config": {"layers": [
                   {"type": "random_fourier_features", "name": "features", "config": {"in": 6, "features": 200,
                    "gamma": 0.1}},
                   {"type": "dense", "name": "readout", "config": {"in": 200, "out": 3}}]}},
                 "loss": {"type": "cross_entropy"},
                 "trainer": {"type": "ridge_readout", "config": {"ridge": 0.1}},
                 "epochs": 1, "batchSize": 64, "seed": 5}""", TrainingSpec.class);
        Path ck = dir.resolve("elm.zip");
        Injector i = injector(spec, new CheckpointWriter(ck));
        TrainingRun run = Runs.fresh(spec, i.getInstance(LayerContext.class), i.getInstance(Registries.class), TRAIN,
                TEST);
        INDArray features = run.model().layer().buffers().get("features.omega").dup();
        TrainingState s = i.getInstance(Trainer.class).fit(run).state();
        EpochStats e = s.history().get(0);
        assertTrue(e.testAccuracy() > 0.85, "ELM on the blobs: " + e.testAccuracy());
        assertTrue(Double.isNaN(e.learningRate()), "no optimizer, no learning rate");
        assertTrue(e.trainLoss() > 0 && Double.isFinite(e.trainLoss()), "train loss by the run's loss: " + e.trainLoss());
        Compare.assertBitEqual("the features stay as drawn", run.model().layer().buffers().get("features.omega"),
                features);
        // The checkpoint holds the spec with its trainer and no optimizer state; it reloads into the same model.
        Checkpoint back = Checkpoint.read(ck);
        assertEquals("ridge_readout", back.spec().trainer().type());
        assertTrue(back.optimizer().isEmpty());
        Compare.assertBitEqual("readout.weight from the checkpoint", back.parameters().get("readout.weight"),
                Parameters.snapshot(run.model().layer()).get("readout.weight"));
    }

    @Test
    void aSpecNeedsAnOptimizerUnlessItNamesATrainer() {
        String noOptimizer = Blobs.spec(1).replace("\"optimizer\": {\"type\": \"adam\", \"config\": {\"lr\": 0.05}},", "");
        DendriteException e = assertThrows(DendriteException.class, () -> Json.read(noOptimizer, TrainingSpec.class));
        assertTrue(e.getMessage().contains("a training spec needs \"optimizer\" (or a \"trainer\")"), e.getMessage());
    }

    @Test
    void resumingAfterOneEpochContinuesBitExactly() {
        Path straight = dir.resolve("straight.zip");
        TrainingState twoEpochs = train(spec(2), TRAIN, new CheckpointWriter(straight));

        Path half = dir.resolve("half.zip");
        train(spec(1), TRAIN, new CheckpointWriter(half));
        Path resumed = dir.resolve("resumed.zip");
        TrainingState continued = resume(half, 2, new CheckpointWriter(resumed));

        assertEquals(measured(twoEpochs), measured(continued), "the same losses to the last bit, epoch by epoch");
        assertEquals(twoEpochs.step(), continued.step());
        assertEquals(twoEpochs.rngState(), continued.rngState());
        Map<String, INDArray> a = Checkpoint.read(straight).parameters();
        Map<String, INDArray> b = Checkpoint.read(resumed).parameters();
        assertEquals(a.keySet(), b.keySet());
        a.forEach((k, v) -> Compare.assertBitEqual("parameter " + k, b.get(k), v));
        Map<String, INDArray> oa = Checkpoint.read(straight).optimizer();
        Map<String, INDArray> ob = Checkpoint.read(resumed).optimizer();
        assertEquals(oa.keySet(), ob.keySet());
        oa.forEach((k, v) -> Compare.assertBitEqual("optimizer state " + k, ob.get(k), v));
    }

    @Test
    void theSameSeedGivesTheSameMetricsToTheLastBit() throws Exception {
        train(spec(2), TRAIN, new MetricsCsv(dir.resolve("a.csv")));
        train(spec(2), TRAIN, new MetricsCsv(dir.resolve("b.csv")));
        List<String> a = Files.readAllLines(dir.resolve("a.csv"));
        List<String> b = Files.readAllLines(dir.resolve("b.csv"));
        assertEquals(MetricsCsv.HEADER, a.get(0));
        assertEquals(3, a.size());
        for (int i = 1; i < a.size(); i++) {
            String[] ra = a.get(i).split(",");
            String[] rb = b.get(i).split(",");
            assertEquals(List.of(ra).subList(0, 5), List.of(rb).subList(0, 5), "epoch, losses, accuracy, lr");
        }
        assertTrue(Double.parseDouble(a.get(2).split(",")[3]) > 0.7, "the blobs are learnable: " + a.get(2));
    }

    @Test
    void aNanLossStopsTrainingNamingTheStepAndKeepsTheLastCheckpoint() throws Exception {
        Poisoned data = new Poisoned(TRAIN);
        Path ck = dir.resolve("checkpoint.zip");
        TrainingListener arm = new TrainingListener() {
            @Override
            public void onEpoch(TrainingRun run, EpochStats stats, TrainingState state, Control control) {
                data.armed = true;
            }
        };
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
                () -> train(spec(3), data, new CheckpointWriter(ck), arm));
        assertEquals(2, e.epoch());
        assertEquals(11, e.step(), "150 examples in batches of 16: 10 steps in epoch 1, the first of epoch 2 fails");
        assertTrue(e.getMessage().startsWith("training diverged at epoch 2, step 11 (batch 1 of 10): loss "
                + "'cross_entropy' is NaN (prediction has "), e.getMessage());
        assertEquals(1, Checkpoint.read(ck).state().epoch(), "the epoch-1 checkpoint is intact");
    }

    @Test
    void earlyStoppingEndsTheRun() {
        TrainingSpec spec = Json.read(Blobs.spec(30).replace("\"lr\": 0.05", "\"lr\": 0.0"), TrainingSpec.class);
        TrainingState end = train(spec, TRAIN, new EarlyStopping(2, 0.0));
        assertEquals(3, end.epoch(), "a frozen model never improves after its first epoch");
    }

    @Test
    void aValidationSplitIsEvaluatedEveryEpochAndWatchedByEarlyStopping() {
        TrainingSpec spec = spec(30).withValidationSplit(0.2);
        spec = Json.read(Json.write(spec).replace("0.05", "0.0"), TrainingSpec.class);
        Injector i = injector(spec, new EarlyStopping(2, 0.0));
        TrainingRun run = Runs.fresh(spec, i.getInstance(LayerContext.class), i.getInstance(Registries.class), TRAIN,
                TEST);
        TrainingState end = i.getInstance(Trainer.class).fit(run).state();
        assertEquals(3, end.epoch());
        // The split: 30 of the 150 rows held out, none of them among the 120 the loader trains on.
        Batch held = all(run.validation());
        Batch trained = all(run.train().dataset());
        assertEquals(30, held.size());
        assertEquals(120, trained.size());
        Set<String> trainedRows = new HashSet<>();
        for (int r = 0; r < trained.size(); r++) {
            trainedRows.add(Arrays.toString(trained.features().getRow(r).toFloatVector()));
        }
        for (int r = 0; r < held.size(); r++) {
            assertFalse(trainedRows.contains(Arrays.toString(held.features().getRow(r).toFloatVector())),
                    "held-out row " + r + " is also a training row");
        }
        // Every epoch's validation figures are the model's on exactly those rows, evaluated here by hand (lr 0:
        // the model is the one it started as, so each epoch must report the same figures).
        Layer model = run.model().layer();
        model.train(false);
        Tensor out;
        try (var off = GradMode.off()) {
            out = model.forward(Tensor.of(held.features()));
        }
        INDArray predicted = out.data().argMax(1).castTo(DataType.INT64);
        long correct = 0;
        for (int r = 0; r < held.size(); r++) {
            correct += predicted.getLong(r) == held.labels().getLong(r) ? 1 : 0;
        }
        double accuracy = correct / 30.0;
        double loss = run.loss().apply(out, Tensor.of(held.labels())).item();
        for (EpochStats e : end.history()) {
            assertEquals(accuracy, e.validationAccuracy(), 0.0, "epoch " + e.epoch() + " validation accuracy");
            assertEquals(loss, e.validationLoss(), 1e-6 * loss, "epoch " + e.epoch() + " validation loss");
        }
    }

    @Test
    void aTrainedModelBeatsChanceOnTheHeldOutRows() {
        TrainingState end = train(spec(3).withValidationSplit(0.2), TRAIN);
        EpochStats last = end.history().get(2);
        // Three balanced classes: chance is 1/3.
        assertTrue(last.validationAccuracy() > 0.7, "validation accuracy after 3 epochs " + last);
    }

    /** Every example of {@code data} in one batch, in order. */
    private static Batch all(Dataset data) {
        long[] every = new long[Math.toIntExact(data.size())];
        for (int r = 0; r < every.length; r++) {
            every[r] = r;
        }
        return data.batch(every);
    }

    /** Training data that turns to NaN once armed. */
    private static final class Poisoned implements Dataset {
        private final Dataset inner;
        volatile boolean armed;

        Poisoned(Dataset inner) {
            this.inner = inner;
        }

        @Override
        public long size() {
            return inner.size();
        }

        @Override
        public Batch batch(long[] indices) {
            Batch b = inner.batch(indices);
            // Not mul(NaN): ND4J's scalar ops ignore a NaN operand.
            return armed ? new Batch(b.features().dup().assign(Double.NaN), b.labels()) : b;
        }

        @Override
        public String description() {
            return "poisoned";
        }
    }

}

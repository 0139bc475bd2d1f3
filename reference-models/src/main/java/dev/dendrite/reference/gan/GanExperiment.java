package dev.dendrite.reference.gan;

import com.google.inject.Guice;
import com.google.inject.Injector;
import dev.dendrite.data.ArrayDataset;
import dev.dendrite.gan.ClassifierScore;
import dev.dendrite.gan.GanCheckpoint;
import dev.dendrite.gan.GanCheckpointWriter;
import dev.dendrite.gan.GanMetricsCsv;
import dev.dendrite.gan.GanRun;
import dev.dendrite.gan.GanRuns;
import dev.dendrite.gan.GanSpec;
import dev.dendrite.gan.GanState;
import dev.dendrite.gan.GanTrainer;
import dev.dendrite.gan.ImageGrid;
import dev.dendrite.gan.SampleGrids;
import dev.dendrite.inject.DendriteModule;
import dev.dendrite.inject.Registries;
import dev.dendrite.inject.Settings;
import dev.dendrite.nn.Init;
import dev.dendrite.nn.LayerContext;
import dev.dendrite.random.Rng;
import dev.dendrite.reference.report.StudyReport;
import dev.dendrite.reference.run.EngineOptions;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * One GAN run on images, fresh or resumed, with everything it writes to the out dir: metrics.csv,
 * checkpoint.zip (both models and optimizers, after every epoch), samples/epoch-NNN.png on fixed noise,
 * samples.png (100 samples of the final generator) and generator.onnx / discriminator.onnx validated in ONNX
 * Runtime. What {@code dendrite train GAN.json} and the {@code dcgan} study run.
 *
 * @param scorer makes the per-epoch sample scorer from the run (for its noise shape and dtype); null for none
 * @param resume a GAN checkpoint to continue (its spec wins; {@code spec} gives only the epochs), or null
 */
public record GanExperiment(GanSpec spec, Path out, Path resume, Function<GanRun, ScoredNoise> scorer,
        EngineOptions engine) {

    public GanExperiment(GanSpec spec, Path out, Path resume, Function<GanRun, ScoredNoise> scorer) {
        this(spec, out, resume, scorer, EngineOptions.DEFAULT);
    }

    /** A scorer and the fixed noise it scores the generator on. */
    public record ScoredNoise(ClassifierScore score, INDArray noise) {}

    /**
     * The finished run, its history, the loss curve for plots, 100 final samples, the ONNX lines, and the score of
     * the generator as this run found it (its initialisation, or the resumed checkpoint's; NaN without a scorer).
     */
    public record Result(GanRun run, GanState state, List<double[]> losses, INDArray samples, GanExports.Lines onnx,
            double initialScore) {}

    public Result run(ArrayDataset images, PrintStream console) {
        StudyReport.createDirectory(out);
        GanRun run = start(images, console);
        ScoredNoise scored = scorer == null ? null : scorer.apply(run);
        double initialScore = Double.NaN;
        if (scored != null) {
            // Evaluation mode on fixed noise: no random draws, no state touched, so the run is unchanged by it.
            run.generator().train(false);
            try (var off = dev.dendrite.tensor.GradMode.off()) {
                initialScore = scored.score().forGenerator(scored.noise()).applyAsDouble(run.generator());
            }
            run.generator().train(true);
        }
        GanProgress progress = new GanProgress(console, 20);
        GanState end = new GanTrainer(List.of(progress, new GanMetricsCsv(out.resolve("metrics.csv")),
                new GanCheckpointWriter(out.resolve("checkpoint.zip")),
                new SampleGrids(out.resolve("samples"), 8, 8, -1, 1)),
                scored == null ? null : scored.score().forGenerator(scored.noise()), engine.compiled()).fit(run);
        run.generator().train(false);
        INDArray noise = scored != null ? scored.noise() : scoreNoise(run, 100);
        INDArray samples = ClassifierScore.generate(run.generator(), noise);
        ImageGrid.write(out.resolve("samples.png"), samples.get(NDArrayIndex.interval(0, 100)), 10, -1, 1, 2);
        return new Result(run, end, progress.curve(), samples, GanExports.write(run, out), initialScore);
    }

    /** The fixed noise a study scores its generator on: n vectors from a stream of the spec's seed. */
    public static INDArray scoreNoise(GanRun run, int n) {
        return Init.normal(new Rng(run.spec().seed() ^ 0x5C0E5L), run.dtype(), 0, 1, run.spec().noiseShape(n));
    }

    private GanRun start(ArrayDataset images, PrintStream console) {
        GanCheckpoint ck = resume == null ? null : GanCheckpoint.read(resume);
        long seed = ck == null ? spec.seed() : ck.spec().seed();
        Injector injector = Guice.createInjector(new DendriteModule(Settings.defaults().withSeed(seed)));
        LayerContext ctx = injector.getInstance(LayerContext.class);
        Registries registries = injector.getInstance(Registries.class);
        if (ck == null) {
            return GanRuns.fresh(spec, ctx, registries, images);
        }
        console.println("resuming " + resume + " after epoch " + ck.state().epoch());
        return GanRuns.resume(ck, Math.max(spec.epochs(), ck.state().epoch()), ctx, registries, images);
    }
}

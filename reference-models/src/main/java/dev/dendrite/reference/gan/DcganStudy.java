package dev.dendrite.reference.gan;

import dev.dendrite.gan.ClassifierScore;
import dev.dendrite.gan.GanEpochStats;
import dev.dendrite.gan.GanSpec;
import dev.dendrite.nn.Layer;
import dev.dendrite.reference.data.PixelScale;
import dev.dendrite.reference.models.LeNet5;
import dev.dendrite.reference.models.Study;
import dev.dendrite.reference.report.StudyReport;
import dev.dendrite.reference.run.Experiment;
import dev.dendrite.reference.run.TrainedModels;
import dev.dendrite.train.Checkpoint;
import dev.dendrite.train.TrainingSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Radford et al. 2015's DCGAN on Fashion-MNIST, judged by a sample score that needs no download: a LeNet-5
 * trained here on the same data classifies the samples, and exp(E[KL(p(y|x) ‖ p(y))]) (the Inception Score with
 * our classifier) is compared with the real test images' score. Target: at least 70% of it.
 */
public final class DcganStudy implements Study {
    static final int EPOCHS = 16;
    static final int BATCH = 128;
    static final int SCORER_EPOCHS = 3;
    static final int SCORE_SAMPLES = 5000;
    static final double TARGET = 0.7;

    @Override
    public String name() {
        return "dcgan";
    }

    @Override
    public String title() {
        return "DCGAN (Radford, Metz & Chintala 2015) on Fashion-MNIST, scored by a LeNet-5 classifier";
    }

    /** {@code --resume runs/dcgan/checkpoint.zip} continues the GAN bit-exactly (the scorer is reloaded). */
    @Override
    public boolean resumable() {
        return true;
    }

    @Override
    public List<String> run(Context c) {
        StudyReport.createDirectory(c.out());
        int epochs = c.epochs() == null ? EPOCHS : c.epochs();
        c.console().println("scorer: LeNet-5, " + SCORER_EPOCHS + " epochs");
        Scorer scorer = Scorer.train(c, SCORER_EPOCHS);
        int n = (int) Math.min(SCORE_SAMPLES, c.data().test().size());
        INDArray realImages = c.data().test().features().get(NDArrayIndex.interval(0, n));
        double realScore = scorer.real().of(realImages);
        c.console().printf("scorer: test accuracy %.4f; score of %d real test images %.3f%n", scorer.accuracy(), n,
                realScore);

        GanSpec spec = Dcgan.spec(Dcgan.WIDTH, epochs, BATCH, c.seed());
        c.console().println("DCGAN: " + epochs + " epochs of " + c.data().train().size() + " images, batch " + BATCH);
        GanExperiment.Result r = new GanExperiment(spec, c.out(), c.resume(),
                run -> new GanExperiment.ScoredNoise(scorer.generated(), GanExperiment.scoreNoise(run, n)), c.engine())
                .run(PixelScale.tanhImages(c.data().train()), c.console());

        GanEpochStats last = r.state().history().get(r.state().history().size() - 1);
        double ratio = last.score() / realScore;
        GanCharts.write(c.out().resolve("dcgan.png"), r.state(), realScore, TARGET, r.losses());
        DcganReport.write(c, this, new DcganReport.Figures(r.run().spec(), r.state(), realScore, scorer.accuracy(), n,
                ratio, scorer.generated().probabilities(r.samples()), scorer.real().probabilities(realImages),
                r.onnx()));
        return List.of(String.format("real test images: score %.3f (LeNet-5 scorer, test accuracy %.4f)", realScore,
                scorer.accuracy()), String.format("DCGAN after %d epochs: score %.3f = %.0f%% of real (target %.0f%%)",
                        last.epoch(), last.score(), ratio * 100, TARGET * 100),
                String.format("the same generator before training: score %.3f (a collapsed one scores 1)",
                        r.initialScore()));
    }

    /** The LeNet-5 that scores images, once for normalised real images and once for the generator's [−1, 1]. */
    record Scorer(ClassifierScore real, ClassifierScore generated, double accuracy) {
        /** Trains the scorer, or reloads it when resuming a run whose scorer was trained with the same epochs. */
        static Scorer train(Context c, int epochs) {
            Path dir = c.out().resolve("scorer");
            Path file = dir.resolve("checkpoint.zip");
            Checkpoint ck = c.resume() != null && Files.exists(file) ? Checkpoint.read(file) : null;
            if (ck == null || ck.state().epoch() != epochs) {
                TrainingSpec spec = new LeNet5().spec().withEpochs(epochs).withSeed(c.seed());
                new Experiment("LeNet-5 scorer for the DCGAN study", "dendrite reproduce dcgan", spec, new double[0],
                        null, c.dataDir(), dir, null).with(c.engine()).run(c.data(), c.console());
                ck = Checkpoint.read(file);
            } else {
                c.console().println("scorer: reusing " + file);
            }
            Layer classifier = TrainedModels.load(ck, file);
            double accuracy = ck.state().history().get(ck.state().history().size() - 1).testAccuracy();
            return new Scorer(new ClassifierScore(classifier, x -> x),
                    new ClassifierScore(classifier, PixelScale::tanhToNormalised), accuracy);
        }
    }

}

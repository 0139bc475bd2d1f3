package dev.dendrite.reference.gan;

import dev.dendrite.gan.GanEpochStats;
import dev.dendrite.gan.GanSpec;
import dev.dendrite.gan.GanState;
import dev.dendrite.reference.data.FashionMnist;
import dev.dendrite.reference.models.Study;
import dev.dendrite.reference.report.StudyReport;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The DCGAN study's report.md. */
final class DcganReport {
    private DcganReport() {}

    /**
     * @param generated p(y|x) of the final samples, [n, 10]; {@code real} the same for real test images
     */
    record Figures(GanSpec spec, GanState end, double realScore, double scorerAccuracy, int samples, double ratio,
            INDArray generated, INDArray real, GanExports.Lines onnx) {}

    static void write(Study.Context c, Study study, Figures f) {
        GanEpochStats last = f.end().history().get(f.end().history().size() - 1);
        StringBuilder md = new StringBuilder("# " + study.title() + "\n\n");
        md.append(String.format("**Sample score after %d epochs: %.3f, %.0f%% of the real test images' %.3f** "
                + "(target: at least %.0f%%: %s).%n%n", last.epoch(), last.score(), f.ratio() * 100, f.realScore(),
                DcganStudy.TARGET * 100, f.ratio() >= DcganStudy.TARGET ? "met" : "NOT met"));
        f.end().history().stream().filter(s -> s.score() >= DcganStudy.TARGET * f.realScore()).findFirst()
                .ifPresent(s -> md.append(String.format("The score first reached %.0f%% of the real images' after "
                        + "epoch %d (%.3f).%n%n", DcganStudy.TARGET * 100, s.epoch(), s.score())));
        md.append("![samples](samples.png)\n\n100 samples of the final generator (evaluation mode: BatchNorm with its "
                + "running statistics). Per-epoch grids on one fixed noise batch: `samples/epoch-NNN.png`.\n\n");
        md.append("![score and losses](dcgan.png)\n\n");
        md.append("| epoch | D loss | G loss | D(x) | D(G(z)) | score | % of real | seconds |\n"
                + "|---|---|---|---|---|---|---|---|\n");
        for (GanEpochStats s : f.end().history()) {
            md.append(String.format("| %d | %.4f | %.4f | %.3f | %.3f | %.3f | %.0f%% | %.1f |%n", s.epoch(),
                    s.discriminatorLoss(), s.generatorLoss(), sigmoid(s.discriminatorReal()),
                    sigmoid(s.discriminatorFake()), s.score(), 100 * s.score() / f.realScore(), s.seconds()));
        }
        md.append("\nD(x) and D(G(z)): σ of the discriminator's mean logit on real and generated batches during the "
                + "epoch. Losses are the non-saturating GAN loss's (D: BCE on real + BCE on generated; G: −log D(G(z))); "
                + "`metrics.csv` has every figure at full precision.\n\n");
        md.append("## The score\n\n");
        md.append(String.format("exp(E_x KL(p(y|x) ‖ p(y))) over %d images, p(y|x) from a LeNet-5 trained here for %d "
                + "epochs (test accuracy %.4f, its run in `scorer/`): the Inception Score of Salimans et al. (2016) "
                + "with a Fashion-MNIST classifier in place of Inception, so nothing is downloaded. It is at most 10 "
                + "(confident predictions, classes used evenly); the real test images (the first %d) give the "
                + "ceiling a perfect generator would reach with this classifier.%n%n", f.samples(),
                DcganStudy.SCORER_EPOCHS, f.scorerAccuracy(), f.samples()));
        md.append("Class mix the scorer sees (share of argmax predictions):\n\n| | ");
        FashionMnist.CLASS_NAMES.forEach(n -> md.append(n).append(" | "));
        md.append("\n|---|").append("---|".repeat(FashionMnist.CLASS_NAMES.size())).append('\n');
        md.append(classMix("DCGAN samples", f.generated())).append(classMix("real test images", f.real()));
        md.append("\n## Setup\n\n");
        md.append("- Generator: z ∈ R¹⁰⁰ ~ N(0, I) → projection (a bias-free matrix multiplication, the paper's \"project "
                + "and reshape\") to 7×7×" + 2 * Dcgan.WIDTH + ", BatchNorm, ReLU → "
                + "ConvTranspose 4×4 stride 2 → 14×14×" + Dcgan.WIDTH + ", BatchNorm, ReLU → ConvTranspose 4×4 stride 2 → "
                + "28×28, Tanh. Discriminator: Conv 4×4 stride 2 → 14×14×" + Dcgan.WIDTH + ", LeakyReLU(0.2) → Conv 4×4 "
                + "stride 2 → 7×7×" + 2 * Dcgan.WIDTH + ", BatchNorm, LeakyReLU(0.2) → Conv 7×7 → one logit. 28×28 with "
                + "matching strides rather than padding to 32×32; channel widths are the paper's ladder halved: twice "
                + "the width took 2.2× the time per step here and scored no better over the first 4 epochs of the "
                + "embedded subset.\n");
        md.append(String.format("- Weights N(0, 0.02), BatchNorm scales N(1, 0.02); Adam lr 2e-4, β1 0.5 for both; "
                + "batch %d; one discriminator step per generator step; real images scaled to [−1, 1]; the "
                + "generated batch of each discriminator step is reused by the generator step, as PyTorch's DCGAN "
                + "example does.%n", f.spec().batchSize()));
        md.append(StudyReport.provenance(c, study.name(), ""));
        md.append("- ONNX: `generator.onnx`: ").append(f.onnx().generator()).append("; `discriminator.onnx`: ")
                .append(f.onnx().discriminator()).append('\n');
        md.append("- Files: `metrics.csv` (per epoch), `checkpoint.zip` (both models and both optimizers; a run "
                + "resumes from it bit-exactly through `GanRuns.resume`), `samples/`, `scorer/`\n");
        StudyReport.write(c.out().resolve("report.md"), md.toString());
    }

    private static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    private static String classMix(String name, INDArray p) {
        long[] predicted = p.argMax(1).toLongVector();
        int[] counts = new int[FashionMnist.CLASS_NAMES.size()];
        for (long y : predicted) {
            counts[(int) y]++;
        }
        StringBuilder row = new StringBuilder("| " + name + " | ");
        for (int k : counts) {
            row.append(String.format("%.1f%% | ", 100.0 * k / predicted.length));
        }
        return row.append('\n').toString();
    }
}

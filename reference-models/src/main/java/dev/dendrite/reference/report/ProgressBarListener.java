package dev.dendrite.reference.report;

import dev.dendrite.train.EpochStats;
import dev.dendrite.train.TrainingListener;
import dev.dendrite.train.TrainingRun;
import dev.dendrite.train.TrainingState;
import java.io.PrintStream;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** One progress bar per epoch (samples, throughput, ETA, running loss), then a summary line. */
public final class ProgressBarListener implements TrainingListener {
    private final PrintStream out;
    private ProgressBar bar;
    private double lossSum;
    private long samples;

    public ProgressBarListener(PrintStream out) {
        this.out = out;
    }

    @Override
    public void onBatch(TrainingRun run, BatchEvent e) {
        if (bar == null) {
            bar = new ProgressBarBuilder()
                    .setTaskName("epoch " + e.epoch() + "/" + run.spec().epochs())
                    .setInitialMax(run.train().dataset().size())
                    .setUnit(" samples", 1)
                    .showSpeed()
                    .setStyle(ProgressBarStyle.ASCII)
                    .setUpdateIntervalMillis(250)
                    .setConsumer(new ConsoleProgressBarConsumer(out, 110))
                    .build();
            lossSum = 0;
            samples = 0;
        }
        lossSum += e.loss() * e.samples();
        samples += e.samples();
        bar.stepBy(e.samples());
        bar.setExtraMessage(String.format(" loss %.4f", lossSum / samples));
    }

    @Override
    public void onEpoch(TrainingRun run, EpochStats s, TrainingState state, Control control) {
        if (bar != null) {
            bar.close();
            bar = null;
        }
        String validation = Double.isNaN(s.validationLoss()) ? ""
                : String.format("  val loss %.4f  val accuracy %.4f", s.validationLoss(), s.validationAccuracy());
        out.printf("epoch %d/%d  train loss %.4f%s  test loss %.4f  test accuracy %.4f  lr %.2e  %.1f s (%.0f samples/s)%n",
                s.epoch(), run.spec().epochs(), s.trainLoss(), validation, s.testLoss(), s.testAccuracy(),
                s.learningRate(), s.seconds(), s.samplesPerSecond());
        if (control.stopReason() != null) {
            out.println(control.stopReason());
        }
    }
}

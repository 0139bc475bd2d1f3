package dev.dendrite.reference.gan;

import dev.dendrite.gan.GanEpochStats;
import dev.dendrite.gan.GanListener;
import dev.dendrite.gan.GanRun;
import dev.dendrite.gan.GanState;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * One progress bar per GAN epoch with the running D and G losses, a summary line per epoch, and the losses
 * averaged over every {@code window} steps for the loss curves.
 */
final class GanProgress implements GanListener {
    private final PrintStream out;
    private final int window;
    private final List<double[]> curve = new ArrayList<>();
    private ProgressBar bar;
    private double d;
    private double g;
    private int dn;
    private int gn;
    private long step;

    GanProgress(PrintStream out, int window) {
        this.out = out;
        this.window = window;
    }

    /** (discriminator step, mean D loss, mean G loss) over each window of steps. */
    List<double[]> curve() {
        return curve;
    }

    /** Steps are numbered for the whole run, so a resumed run's curve continues where the checkpoint left off. */
    @Override
    public void onStart(GanRun run, GanState state) {
        step = state.discriminatorSteps();
    }

    @Override
    public void onBatch(GanRun run, BatchEvent e) {
        if (bar == null) {
            bar = new ProgressBarBuilder().setTaskName("epoch " + e.epoch() + "/" + run.spec().epochs())
                    .setInitialMax(run.data().dataset().size()).setUnit(" images", 1).showSpeed()
                    .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(250)
                    .setConsumer(new ConsoleProgressBarConsumer(out, 110)).build();
        }
        step++;
        d += e.discriminatorLoss();
        dn++;
        if (!Double.isNaN(e.generatorLoss())) {
            g += e.generatorLoss();
            gn++;
        }
        bar.stepBy(e.examples());
        bar.setExtraMessage(String.format(" D %.3f G %.3f", d / dn, g / Math.max(1, gn)));
        if (dn == window) {
            flush();
        }
    }

    /** The window's means as one curve point, and a new window. */
    private void flush() {
        if (dn > 0) {
            curve.add(new double[] {step, d / dn, gn == 0 ? Double.NaN : g / gn});
        }
        d = 0;
        g = 0;
        dn = 0;
        gn = 0;
    }

    @Override
    public void onEpoch(GanRun run, GanEpochStats s, GanState state) {
        flush();
        if (bar != null) {
            bar.close();
            bar = null;
        }
        out.printf("epoch %d/%d  D loss %.4f  G loss %.4f  D(real) logit %.3f  D(fake) logit %.3f  score %.3f  %.1f s"
                + " (%.0f images/s)%n", s.epoch(), run.spec().epochs(), s.discriminatorLoss(), s.generatorLoss(),
                s.discriminatorReal(), s.discriminatorFake(), s.score(), s.seconds(), s.examplesPerSecond());
    }
}

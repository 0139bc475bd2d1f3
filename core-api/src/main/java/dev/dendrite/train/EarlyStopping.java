package dev.dendrite.train;

/**
 * Stops when the monitored loss has not improved by {@code minDelta} for {@code patience} epochs: the
 * validation loss when the run holds out a validation split (choosing on the test set would leak it),
 * else the test loss.
 */
public final class EarlyStopping implements TrainingListener {
    private final int patience;
    private final double minDelta;
    private double best = Double.POSITIVE_INFINITY;
    private int bad;

    public EarlyStopping(int patience, double minDelta) {
        if (patience < 1) {
            throw new IllegalArgumentException("patience must be >= 1, got " + patience);
        }
        this.patience = patience;
        this.minDelta = minDelta;
    }

    @Override
    public void onStart(TrainingRun run, TrainingState state) {
        best = Double.POSITIVE_INFINITY;
        bad = 0;
        state.history().forEach(s -> observe(s, null));
    }

    @Override
    public void onEpoch(TrainingRun run, EpochStats stats, TrainingState state, Control control) {
        observe(stats, control);
    }

    private void observe(EpochStats s, Control control) {
        boolean validation = !Double.isNaN(s.validationLoss());
        double loss = validation ? s.validationLoss() : s.testLoss();
        if (loss < best - minDelta) {
            best = loss;
            bad = 0;
        } else if (++bad >= patience && control != null) {
            control.stop("early stopping: " + (validation ? "validation" : "test") + " loss has not improved on "
                    + best + " for " + patience + " epochs");
        }
    }
}

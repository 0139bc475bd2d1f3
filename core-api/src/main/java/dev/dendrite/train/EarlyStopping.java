package dev.dendrite.train;

/** Stops when the test loss has not improved by {@code minDelta} for {@code patience} epochs. */
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
        if (s.testLoss() < best - minDelta) {
            best = s.testLoss();
            bad = 0;
        } else if (++bad >= patience && control != null) {
            control.stop("early stopping: test loss has not improved on " + best + " for " + patience + " epochs");
        }
    }
}

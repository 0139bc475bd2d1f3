package dev.dendrite.train;

import java.nio.file.Path;

/** Saves the run after every epoch, atomically, so the file always holds the last completed epoch. */
public final class CheckpointWriter implements TrainingListener {
    private final Path file;

    public CheckpointWriter(Path file) {
        this.file = file;
    }

    @Override
    public void onEpoch(TrainingRun run, EpochStats stats, TrainingState state, Control control) {
        Runs.checkpoint(run, state).write(file);
    }

    public Path file() {
        return file;
    }
}

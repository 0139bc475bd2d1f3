package dev.dendrite.gan;

import java.nio.file.Path;

/** Writes the run's checkpoint after every epoch, atomically, over the previous one. */
public final class GanCheckpointWriter implements GanListener {
    private final Path file;

    public GanCheckpointWriter(Path file) {
        this.file = file;
    }

    @Override
    public void onEpoch(GanRun run, GanEpochStats stats, GanState state) {
        GanRuns.checkpoint(run, state).write(file);
    }
}

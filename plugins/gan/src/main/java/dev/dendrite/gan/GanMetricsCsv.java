package dev.dendrite.gan;

import dev.dendrite.io.AtomicFiles;
import dev.dendrite.tensor.DendriteException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * One row per epoch, rewritten whole from the run's history at the start and after each epoch (so a resumed
 * run's file is whole). Doubles are written with all their digits: runs compare to the last bit.
 */
public final class GanMetricsCsv implements GanListener {
    public static final String HEADER = "epoch,d_loss,g_loss,d_real,d_fake,score,seconds,examples_per_second";
    private final Path file;

    public GanMetricsCsv(Path file) {
        this.file = file;
    }

    @Override
    public void onStart(GanRun run, GanState state) {
        write(state);
    }

    @Override
    public void onEpoch(GanRun run, GanEpochStats stats, GanState state) {
        write(state);
    }

    private void write(GanState state) {
        StringBuilder sb = new StringBuilder(HEADER).append('\n');
        for (GanEpochStats s : state.history()) {
            sb.append(s.epoch()).append(',').append(s.discriminatorLoss()).append(',').append(s.generatorLoss())
                    .append(',').append(s.discriminatorReal()).append(',').append(s.discriminatorFake()).append(',')
                    .append(s.score()).append(',').append(s.seconds()).append(',').append(s.examplesPerSecond())
                    .append('\n');
        }
        try {
            AtomicFiles.write(file, out -> out.write(sb.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new DendriteException(file + ": cannot write metrics: " + e.getMessage(), e);
        }
    }
}

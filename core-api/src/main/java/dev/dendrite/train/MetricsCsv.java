package dev.dendrite.train;

import dev.dendrite.tensor.DendriteException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Appends one row per epoch to a CSV (rewritten from the run's history on start, so a resumed run's
 * file is whole). Doubles are written with all their digits: runs compare to the last bit.
 */
public final class MetricsCsv implements TrainingListener {
    public static final String HEADER = "epoch,train_loss,test_loss,test_accuracy,learning_rate,seconds,samples_per_second,"
            + "validation_loss,validation_accuracy";
    private final Path file;

    public MetricsCsv(Path file) {
        this.file = file;
    }

    @Override
    public void onStart(TrainingRun run, TrainingState state) {
        StringBuilder sb = new StringBuilder(HEADER).append('\n');
        state.history().forEach(s -> sb.append(row(s)));
        write(sb.toString(), StandardOpenOption.TRUNCATE_EXISTING);
    }

    @Override
    public void onEpoch(TrainingRun run, EpochStats s, TrainingState state, Control control) {
        write(row(s), StandardOpenOption.APPEND);
    }

    static String row(EpochStats s) {
        return s.epoch() + "," + s.trainLoss() + "," + s.testLoss() + "," + s.testAccuracy() + "," + s.learningRate()
                + "," + s.seconds() + "," + s.samplesPerSecond() + "," + s.validationLoss() + ","
                + s.validationAccuracy() + "\n";
    }

    private void write(String text, StandardOpenOption mode) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    mode);
        } catch (IOException e) {
            throw new DendriteException(file + ": cannot write metrics: " + e.getMessage(), e);
        }
    }
}

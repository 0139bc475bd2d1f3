package dev.dendrite.reference.report;

import dev.dendrite.inject.Backend;
import dev.dendrite.spi.Json;
import dev.dendrite.tensor.DendriteException;
import dev.dendrite.train.EpochStats;
import dev.dendrite.train.TrainingSpec;
import dev.dendrite.train.TrainingState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;

/** report.md: the paper's figure beside ours, the data, the run's settings and the per-epoch table. */
public final class Report {
    private Report() {}

    private static String orDash(double v) {
        return Double.isNaN(v) ? "-" : String.format("%.4f", v);
    }

    /**
     * @param paperAccuracy the published figure (one value or a band), empty for {@code dendrite train}
     */
    public static void write(Path file, String title, String command, double[] paperAccuracy, String paperSource,
            String data, TrainingSpec spec, TrainingState state, String stopReason, String onnx) {
        EpochStats last = state.history().isEmpty() ? null : state.history().get(state.history().size() - 1);
        StringBuilder md = new StringBuilder();
        md.append("# ").append(title).append("\n\n");
        md.append("| | test accuracy |\n|---|---|\n");
        if (paperAccuracy.length > 0) {
            md.append("| paper: ").append(paperSource).append(" | ")
                    .append(dev.dendrite.reference.models.ReferenceModel.figure(paperAccuracy)).append(" |\n");
        }
        md.append(String.format("| Dendrite, epoch %d | %s |%n%n", state.epoch(),
                last == null ? "-" : String.format("%.4f", last.testAccuracy())));
        md.append("- Data: ").append(data).append('\n');
        if (data.contains("subset")) {
            md.append("  (the published figure is on the full test set; install Debian's `dataset-fashion-mnist` or"
                    + " pass `--data DIR` for the real comparison)\n");
        }
        md.append("- Command: `").append(command).append("`\n");
        md.append("- Date: ").append(LocalDate.now()).append(", backend ").append(Backend.loaded()).append(", ")
                .append(Runtime.getRuntime().availableProcessors()).append(" cores\n");
        double seconds = state.history().stream().mapToDouble(EpochStats::seconds).sum();
        md.append(String.format("- Training time: %.1f s over %d epochs (%.1f s per epoch)%n", seconds,
                state.history().size(), seconds / Math.max(1, state.history().size())));
        if (stopReason != null) {
            md.append("- Stopped early: ").append(stopReason).append('\n');
        }
        md.append("- ONNX: ").append(onnx).append('\n');
        md.append("- Files: `metrics.csv`, `curve.png`, `checkpoint.zip` (spec, parameters as .npy, optimizer and "
                + "random state; `--resume` continues it bit-exactly), `model.onnx`\n\n");
        md.append("![loss and accuracy](curve.png)\n\n");
        md.append("## Per epoch\n\n| epoch | train loss | validation loss | validation accuracy | test loss "
                + "| test accuracy | learning rate | seconds |\n|---|---|---|---|---|---|---|---|\n");
        for (EpochStats s : state.history()) {
            md.append(String.format("| %d | %.4f | %s | %s | %.4f | %.4f | %.2e | %.1f |%n", s.epoch(), s.trainLoss(),
                    orDash(s.validationLoss()), orDash(s.validationAccuracy()), s.testLoss(), s.testAccuracy(),
                    s.learningRate(), s.seconds()));
        }
        md.append("\n## Spec\n\n```json\n").append(Json.write(spec)).append("\n```\n");
        try {
            Files.writeString(file, md.toString());
        } catch (IOException e) {
            throw new DendriteException(file + ": cannot write the report: " + e.getMessage(), e);
        }
    }
}

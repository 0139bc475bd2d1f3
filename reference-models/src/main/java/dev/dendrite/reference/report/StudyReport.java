package dev.dendrite.reference.report;

import dev.dendrite.inject.Backend;
import dev.dendrite.reference.models.Study;
import dev.dendrite.tensor.DendriteException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;

/** What every study's report.md shares: its folder, where its figures came from, the file itself. */
public final class StudyReport {
    private StudyReport() {}

    public static void createDirectory(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new DendriteException(dir + ": cannot create the output directory: " + e.getMessage(), e);
        }
    }

    /**
     * The data, command, date, backend and cores, as list items.
     *
     * @param timing appended to the machine line, e.g. "; both timed in this run" (may be empty)
     */
    public static String provenance(Study.Context c, String study, String timing) {
        return "- Data: " + c.data().description() + "\n"
                + "- Command: `dendrite reproduce " + study + "`, seed " + c.seed() + "\n"
                + "- Date: " + LocalDate.now() + ", backend " + Backend.loaded() + ", "
                + Runtime.getRuntime().availableProcessors() + " cores" + timing + "\n";
    }

    public static void write(Path file, String markdown) {
        try {
            Files.writeString(file, markdown);
        } catch (IOException e) {
            throw new DendriteException(file + ": cannot write: " + e.getMessage(), e);
        }
    }
}

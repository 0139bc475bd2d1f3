package dev.dendrite.reference.sequence;

import dev.dendrite.inject.Backend;
import dev.dendrite.onnxbridge.proto.ModelProto;
import dev.dendrite.onnxbridge.proto.NodeProto;
import dev.dendrite.reference.models.Study;
import dev.dendrite.tensor.DendriteException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/** What the two sequence studies' reports share: provenance lines without Fashion-MNIST, metrics.csv, op lists. */
final class SequenceReports {
    private SequenceReports() {}

    /** The data, command, date, backend and cores, as list items. */
    static String provenance(Study.Context c, String study, String data) {
        String arguments = (c.epochs() == null ? "" : " --epochs " + c.epochs())
                + (c.dataDir() == null ? "" : " --data " + c.dataDir());
        return "- Data: " + data + "\n"
                + "- Command: `dendrite reproduce " + study + arguments + "`, seed " + c.seed() + "\n"
                + "- Date: " + LocalDate.now() + ", backend " + Backend.loaded() + ", "
                + Runtime.getRuntime().availableProcessors() + " cores visible, OMP_NUM_THREADS "
                + System.getenv().getOrDefault("OMP_NUM_THREADS", "unset") + "\n";
    }

    /** A CSV file: the header, then one line per row (values formatted by the caller, in the ROOT locale). */
    static void writeCsv(Path file, String header, List<String> rows) {
        try {
            Files.writeString(file, header + "\n" + String.join("\n", rows) + "\n");
        } catch (IOException e) {
            throw new DendriteException(file + ": cannot write: " + e.getMessage(), e);
        }
    }

    static String fmt(String pattern, Object... values) {
        return String.format(Locale.ROOT, pattern, values);
    }

    /** The distinct ONNX op types of an exported graph, sorted: the report shows that e.g. LSTM is one node. */
    static TreeSet<String> opTypes(ModelProto proto) {
        TreeSet<String> ops = new TreeSet<>();
        for (NodeProto n : proto.getGraph().getNodeList()) {
            ops.add(n.getOpType());
        }
        return ops;
    }
}

package dev.dendrite.onnxbridge;

import dev.dendrite.tensor.GradMode;
import dev.dendrite.tensor.Tensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * ONNX backend node tests: a folder with {@code model.onnx} and {@code test_data_set_N/} holding
 * {@code input_i.pb} (feeding graph input i) and {@code output_j.pb} (expected graph output j). A test
 * passes when every output of every data set has the expected shape and dtype, integers and bools are
 * equal, and floats satisfy |a - e| <= 1e-5 + 1e-3 |e| (NaN matching NaN, infinities matching).
 */
public final class NodeTestRunner {
    public static final double ATOL = 1e-5;
    public static final double RTOL = 1e-3;
    /** ONNX's own runner's absolute tolerance; a pass only above it is reported as loose. */
    public static final double STRICT_ATOL = 1e-7;

    /**
     * @param reason why it failed; null when it passed
     * @param loose passed only with {@link #ATOL}, not with ONNX's stricter {@link #STRICT_ATOL}
     */
    public record Outcome(String name, String reason, boolean loose) {
        public boolean passed() {
            return reason == null;
        }
    }

    private final OnnxImporter importer;

    public NodeTestRunner(OnnxImporter importer) {
        this.importer = importer;
    }

    /** Every test folder at or under the given paths, sorted by path. */
    public static List<Path> discover(List<Path> roots) {
        List<Path> found = new ArrayList<>();
        for (Path root : roots) {
            if (!Files.isDirectory(root)) {
                throw new IllegalArgumentException(root + ": no such folder");
            }
            try (Stream<Path> s = Files.walk(root)) {
                s.filter(p -> Files.isRegularFile(p.resolve("model.onnx")) && hasDataSet(p)).forEach(found::add);
            } catch (IOException e) {
                throw new UncheckedIOException(root + ": " + e.getMessage(), e);
            }
        }
        found.sort(null);
        return found;
    }

    private static boolean hasDataSet(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.anyMatch(p -> Files.isDirectory(p) && p.getFileName().toString().startsWith("test_data_set_"));
        } catch (IOException e) {
            return false;
        }
    }

    public Outcome run(Path dir) {
        String name = dir.getFileName().toString();
        try {
            ImportedModel model = importer.load(dir.resolve("model.onnx"));
            model.train(false);
            boolean loose = false;
            for (Path set : dataSets(dir)) {
                List<INDArray> inputs = numbered(set, "input_");
                List<INDArray> expected = numbered(set, "output_");
                Tensor[] out;
                try (var off = GradMode.off()) {
                    out = model.run(inputs.stream().map(Tensor::of).toArray(Tensor[]::new));
                }
                if (out.length < expected.size()) {
                    return new Outcome(name, set.getFileName() + ": " + out.length + " outputs, expected "
                            + expected.size(), false);
                }
                for (int j = 0; j < expected.size(); j++) {
                    String diff = compare(out[j].data(), expected.get(j), ATOL);
                    if (diff != null) {
                        return new Outcome(name, set.getFileName() + " output " + j + ": " + diff, false);
                    }
                    loose |= compare(out[j].data(), expected.get(j), STRICT_ATOL) != null;
                }
            }
            return new Outcome(name, null, loose);
        } catch (Exception | StackOverflowError | OutOfMemoryError e) {
            String m = e.getMessage();
            return new Outcome(name, (m == null ? e.toString() : m).replace('\n', ' '), false);
        }
    }

    private static List<Path> dataSets(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> Files.isDirectory(p) && p.getFileName().toString().startsWith("test_data_set_"))
                    .sorted().toList();
        }
    }

    /** {@code prefix0.pb, prefix1.pb, ...} until the first missing number. */
    private static List<INDArray> numbered(Path set, String prefix) {
        List<INDArray> out = new ArrayList<>();
        for (int i = 0; Files.isRegularFile(set.resolve(prefix + i + ".pb")); i++) {
            out.add(TensorProtos.read(OnnxFiles.readTensor(set.resolve(prefix + i + ".pb"))));
        }
        return out;
    }

    /** Null when {@code actual} matches {@code expected}; otherwise what differs. */
    public static String compare(INDArray actual, INDArray expected, double atol) {
        if (!Arrays.equals(actual.shape(), expected.shape())) {
            return "shape " + Arrays.toString(actual.shape()) + ", expected " + Arrays.toString(expected.shape());
        }
        if (actual.dataType() != expected.dataType()) {
            return "dtype " + actual.dataType() + ", expected " + expected.dataType();
        }
        long n = expected.length();
        if (n == 0) {
            return null;
        }
        if (!expected.dataType().isFPType()) {
            long[] a = flat(actual).toLongVector();
            long[] e = flat(expected).toLongVector();
            for (int i = 0; i < n; i++) {
                if (a[i] != e[i]) {
                    return "element " + i + " is " + a[i] + ", expected " + e[i];
                }
            }
            return null;
        }
        double[] a = flat(actual).castTo(DataType.DOUBLE).toDoubleVector();
        double[] e = flat(expected).castTo(DataType.DOUBLE).toDoubleVector();
        int worst = -1;
        double worstExcess = 0;
        for (int i = 0; i < n; i++) {
            if (Double.isNaN(e[i]) || Double.isInfinite(e[i])) {
                if (Double.compare(a[i], e[i]) != 0) {
                    return "element " + i + " is " + a[i] + ", expected " + e[i];
                }
                continue;
            }
            double excess = Math.abs(a[i] - e[i]) - (atol + RTOL * Math.abs(e[i]));
            if (!(excess <= 0) && (worst < 0 || !(excess <= worstExcess))) {
                worst = i;
                worstExcess = excess;
            }
        }
        return worst < 0 ? null : "element " + worst + " is " + a[worst] + ", expected " + e[worst]
                + " (|diff| " + Math.abs(a[worst] - e[worst]) + ")";
    }

    private static INDArray flat(INDArray a) {
        return a.reshape('c', new long[] {a.length()});
    }
}

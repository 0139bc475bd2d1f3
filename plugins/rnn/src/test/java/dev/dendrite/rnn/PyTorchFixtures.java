package dev.dendrite.rnn;

import dev.dendrite.io.NpyArchive;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The fixtures written by {@code src/test/resources/fixtures/make_rnn_fixtures.py} (PyTorch 1.13). */
final class PyTorchFixtures {
    static final Path ROOT = Path.of("src/test/resources/fixtures");

    private PyTorchFixtures() {}

    static Map<String, INDArray> npz(String kind, String file) {
        Path p = ROOT.resolve(kind).resolve(file);
        try (InputStream in = Files.newInputStream(p)) {
            return NpyArchive.read(in, p.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path onnx(String kind) {
        return ROOT.resolve(kind).resolve("model.onnx");
    }
}

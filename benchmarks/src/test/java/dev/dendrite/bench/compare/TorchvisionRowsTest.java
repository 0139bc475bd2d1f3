package dev.dendrite.bench.compare;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Optional (needs Debian's python3-torch and python3-torchvision; skipped, saying so, without them): the PyTorch
 * worker exports a torchvision model as the harness asks it to, and the Dendrite side of its rows (training compiled
 * and eager, inference) and ONNX Runtime run on that file. A smoke test: speed is measured by the harness.
 */
class TorchvisionRowsTest {
    @TempDir
    Path dir;

    @Test
    void theWorkerExportsAModelAndDendriteAndOnnxRuntimeRunItsRows() throws IOException {
        Path python = Path.of("/usr/bin/python3");
        Assumptions.assumeTrue(Files.isExecutable(python), "skipped: /usr/bin/python3 is not installed");
        Path script = dir.resolve("torch_worker.py");
        try (InputStream s = CompareCommand.class.getResourceAsStream("torch_worker.py")) {
            Files.copy(s, script, StandardCopyOption.REPLACE_EXISTING);
        }
        try (EngineProcess torch = EngineProcess.start(List.of(python.toString(), script.toString(), "1"),
                CompareCommand.threadEnv(1), dir.resolve("worker.log"))) {
            Assumptions.assumeTrue(torch.hello().has("ready"), "skipped: PyTorch is not available");
            Path file = dir.resolve("shufflenet_v2_x0_5.onnx");
            JsonNode reply = torch.request(Map.of("export", "shufflenet_v2_x0_5", "path", file.toString()));
            Assumptions.assumeFalse(reply.path("error").asText().contains("torchvision is not installed"),
                    "skipped: " + reply.path("error").asText());
            assertTrue(reply.has("ok"), reply.toString());
        }
        for (boolean compiled : new boolean[] {true, false}) {
            Runnable train = Steps.dendrite(Workload.named("shufflenet_v2_train_b16"), compiled, dir);
            assertDoesNotThrow(() -> {
                train.run();
                train.run();
                train.run();
            });
        }
        Workload infer = new Workload("shufflenet_infer_b2", "tv:shufflenet_v2_x0_5", 2, false, 1);
        Runnable dendrite = Steps.dendrite(infer, true, dir);
        Runnable ort = Steps.onnxRuntime(infer, 1, dir);
        assertDoesNotThrow(() -> {
            dendrite.run();
            dendrite.run();
            dendrite.run();
            ort.run();
        });
    }
}

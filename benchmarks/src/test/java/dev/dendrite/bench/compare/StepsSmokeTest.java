package dev.dendrite.bench.compare;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A smoke test: every row's Dendrite side, compiled and eager, builds from its specs and runs three iterations
 * (capture, verification, replay) without an error, so a harness run does not fail on its first row. It checks
 * nothing about speed: speed is measured by the JMH benchmarks in {@code benchmarks/} and by
 * {@code dendrite bench compare}, never by timed unit tests.
 */
class StepsSmokeTest {
    /** The rows built from Dendrite specs; the torchvision rows need PyTorch's export (the harness makes it). */
    static List<Workload> rows() {
        return Workload.ALL.stream().filter(w -> !w.torchvision()).toList();
    }

    @ParameterizedTest
    @MethodSource("rows")
    void theDendriteSideOfEveryRowRunsWithoutError(Workload w) {
        for (boolean compiled : new boolean[] {true, false}) {
            Runnable step = Steps.dendrite(w, compiled);
            assertDoesNotThrow(() -> {
                step.run();
                step.run();
                step.run();
            }, w.name() + (compiled ? "" : " (eager)"));
        }
    }

    @Test
    void aTorchvisionRowWithoutItsExportedModelIsAOneLineError(@TempDir Path dir) {
        Workload w = Workload.named("mobilenet_v2_train_b16");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Steps.dendrite(w, true, dir));
        assertEquals("mobilenet_v2_train_b16: no exported model "
                + dir.resolve("mobilenet_v2.onnx") + "; the PyTorch worker exports it", e.getMessage());
    }
}

package dev.dendrite.bench.compare;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A smoke test: every row's Dendrite side, compiled and eager, builds from its specs and runs three iterations
 * (capture, verification, replay) without an error, so a harness run does not fail on its first row. It checks
 * nothing about speed: speed is measured by the JMH benchmarks in {@code benchmarks/} and by
 * {@code dendrite bench compare}, never by timed unit tests.
 */
class StepsSmokeTest {
    static java.util.List<Workload> rows() {
        return Workload.ALL;
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
}

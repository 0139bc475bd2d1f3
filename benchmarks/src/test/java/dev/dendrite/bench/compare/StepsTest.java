package dev.dendrite.bench.compare;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every row's Dendrite side builds from its specs and runs: a harness run must not fail on its first row. */
class StepsTest {
    static java.util.List<Workload> rows() {
        return Workload.ALL;
    }

    @ParameterizedTest
    @MethodSource("rows")
    void theDendriteSideOfEveryRowRuns(Workload w) {
        Runnable step = Steps.dendrite(w);
        assertDoesNotThrow(() -> {
            step.run();
            step.run();
        }, w.name());
    }
}

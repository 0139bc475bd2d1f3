package dev.dendrite.basic.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.dendrite.optim.LrSchedule;
import dev.dendrite.tensor.DendriteException;
import org.junit.jupiter.api.Test;

/** Linear warm-up from startFactor·base to base, then half a cosine to etaMin, then flat. */
class WarmupCosineLrTest {
    private static final double BASE = 1e-3;
    private final LrSchedule s = new WarmupCosineLr.Provider().create(new WarmupCosineLr.Config(4, 14, 0.2, 1e-5));

    @Test
    void rampsLinearlyThenFollowsTheCosine() {
        assertEquals(2e-4, s.learningRate(0, BASE), 1e-15);
        assertEquals(4e-4, s.learningRate(1, BASE), 1e-15);
        assertEquals(8e-4, s.learningRate(3, BASE), 1e-15);
        assertEquals(BASE, s.learningRate(4, BASE), 1e-15);
        // Halfway through the decay (t = 4 + 5): the midpoint of base and etaMin.
        assertEquals((BASE + 1e-5) / 2, s.learningRate(9, BASE), 1e-15);
        assertEquals(1e-5 + (BASE - 1e-5) * (1 + Math.cos(Math.PI * 0.3)) / 2, s.learningRate(7, BASE), 1e-15);
        assertEquals(1e-5, s.learningRate(14, BASE), 1e-15);
        assertEquals(1e-5, s.learningRate(40, BASE), 1e-15); // stays at etaMin; no swing back up
    }

    @Test
    void withoutWarmupItIsTheCosineFromTheStart() {
        LrSchedule c = new WarmupCosineLr.Provider().create(new WarmupCosineLr.Config(0, 10, 0.1, 0));
        assertEquals(BASE, c.learningRate(0, BASE), 1e-15);
        assertEquals(BASE / 2, c.learningRate(5, BASE), 1e-15);
    }

    @Test
    void badConfigsAndStepsAreRefused() {
        WarmupCosineLr.Provider p = new WarmupCosineLr.Provider();
        assertEquals("warmup_cosine: need 0 <= warmup < total, got warmup=10, total=10", assertThrows(
                DendriteException.class, () -> p.create(new WarmupCosineLr.Config(10, 10, 0.1, 0))).getMessage());
        assertEquals("warmup_cosine: startFactor must be in [0, 1], got 1.5", assertThrows(DendriteException.class,
                () -> p.create(new WarmupCosineLr.Config(1, 10, 1.5, 0))).getMessage());
        assertEquals("warmup_cosine: etaMin must be >= 0 and finite, got -1.0", assertThrows(DendriteException.class,
                () -> p.create(new WarmupCosineLr.Config(1, 10, 0.1, -1))).getMessage());
        assertEquals("warmup_cosine schedule: step t must be >= 0 (0-based), got -1",
                assertThrows(DendriteException.class, () -> s.learningRate(-1, BASE)).getMessage());
    }
}

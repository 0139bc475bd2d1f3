package dev.dendrite.basic.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dendrite.optim.LrSchedule;
import dev.dendrite.tensor.DendriteException;
import org.junit.jupiter.api.Test;

/**
 * Each schedule at several steps against values worked out by hand from its formula (base rate 0.1);
 * the comments give the arithmetic. PyTorch 1.13.1's schedulers print the same sequences.
 */
class ScheduleTest {
    private static final double BASE = 0.1;
    private static final double TOL = 1e-15;

    private static void check(LrSchedule s, long t, double expected) {
        assertEquals(expected, s.learningRate(t, BASE), TOL, "t=" + t);
    }

    @Test
    void stepDropsByGammaEveryStepSize() {
        LrSchedule s = new StepLrProvider().create(new StepLrProvider.Config(3, 0.5));
        check(s, 0, 0.1);
        check(s, 2, 0.1); // floor(2/3) = 0
        check(s, 3, 0.05); // floor(3/3) = 1
        check(s, 5, 0.05);
        check(s, 6, 0.025);
        check(s, 11, 0.0125); // floor(11/3) = 3: 0.1 / 8
    }

    @Test
    void exponentialMultipliesByGammaEachStep() {
        LrSchedule s = new ExponentialLrProvider().create(new ExponentialLrProvider.Config(0.9));
        check(s, 0, 0.1);
        check(s, 1, 0.09);
        check(s, 2, 0.081);
        check(s, 3, 0.0729);
        check(s, 10, 0.1 * 0.34867844010000004); // 0.9^10 = 0.3486784401
    }

    @Test
    void cosineFollowsTheClosedForm() {
        LrSchedule s = new CosineLrProvider().create(new CosineLrProvider.Config(8, 0.01));
        double amp = (0.1 - 0.01) / 2; // (base - etaMin) / 2 = 0.045
        double r2 = Math.sqrt(2) / 2;
        check(s, 0, 0.1); // cos 0 = 1
        check(s, 2, 0.01 + amp * (1 + r2)); // cos(pi/4)
        check(s, 4, 0.055); // cos(pi/2) = 0: the midpoint
        check(s, 6, 0.01 + amp * (1 - r2)); // cos(3pi/4)
        check(s, 8, 0.01); // cos(pi) = -1: etaMin at tMax
        check(s, 12, 0.055); // PyTorch's closed form keeps following the cosine past tMax
        check(s, 16, 0.1);
        assertEquals(0.08681980515339463, s.learningRate(2, BASE), 1e-15); // torch 1.13.1
    }

    @Test
    void warmupRampsLinearlyThenHolds() {
        LrSchedule s = new WarmupLrProvider().create(new WarmupLrProvider.Config(4, 0.25));
        check(s, 0, 0.025); // 0.25 * base
        check(s, 1, 0.04375); // (0.25 + 0.75 * 1/4) * base
        check(s, 2, 0.0625); // (0.25 + 0.75 * 2/4) * base
        check(s, 3, 0.08125);
        check(s, 4, 0.1);
        check(s, 1000, 0.1);
    }

    @Test
    void zeroWarmupIsConstant() {
        LrSchedule s = new WarmupLrProvider().create(new WarmupLrProvider.Config(0, 0.25));
        check(s, 0, 0.1);
        check(s, 7, 0.1);
    }

    private static LrSchedule cyclical(String mode, double gamma) {
        return new CyclicalLrProvider().create(new CyclicalLrProvider.Config(0.01, 0.05, 4, mode, gamma));
    }

    @Test
    void triangularClimbsAndFalls() {
        LrSchedule s = cyclical("triangular", 1);
        // band 0.04, half-cycle 4 steps: +0.01 per step up, -0.01 per step down.
        check(s, 0, 0.01);
        check(s, 1, 0.02);
        check(s, 4, 0.05);
        check(s, 6, 0.03);
        check(s, 8, 0.01);
        check(s, 11, 0.04);
        check(s, 12, 0.05); // second peak: same height
        assertEquals(0.05, s.learningRate(4, 123.0), TOL); // the optimizer's base rate is not used
    }

    @Test
    void triangular2HalvesTheAmplitudeEachCycle() {
        LrSchedule s = cyclical("triangular2", 1);
        check(s, 4, 0.05); // cycle 1: full band
        check(s, 10, 0.02); // cycle 2, x = |10/4 - 3| = 0.5: 0.01 + 0.04 * 0.5 / 2
        check(s, 12, 0.03); // cycle 2 peak: 0.01 + 0.04 / 2
        check(s, 16, 0.01);
        check(s, 20, 0.02); // cycle 3 peak: 0.01 + 0.04 / 4
    }

    @Test
    void expRangeDecaysTheAmplitudeByGammaPerStep() {
        LrSchedule s = cyclical("exp_range", 0.9);
        check(s, 0, 0.01);
        check(s, 1, 0.01 + 0.04 * 0.25 * 0.9); // 0.019
        check(s, 4, 0.01 + 0.04 * 0.6561); // 0.9^4 = 0.6561
        check(s, 8, 0.01);
        check(s, 12, 0.01 + 0.04 * 0.2824295364810001); // 0.9^12
        assertEquals(0.036244, s.learningRate(4, BASE), 1e-15); // torch 1.13.1
    }

    @Test
    void negativeStepIsRejected() {
        LrSchedule s = new StepLrProvider().create(new StepLrProvider().defaultConfig());
        DendriteException e = assertThrows(DendriteException.class, () -> s.learningRate(-1, BASE));
        assertTrue(e.getMessage().contains("step"), e.getMessage());
    }
}

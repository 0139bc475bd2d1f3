package dev.dendrite.basic.optim;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dendrite.tensor.DendriteException;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** A bad config fails in {@code create} with a message that starts with the provider id and the field. */
class ConfigValidationTest {
    private static final double NAN = Double.NaN;
    private static final double INF = Double.POSITIVE_INFINITY;

    private static Arguments bad(String id, String field, Executable create) {
        return Arguments.of(id, field, create);
    }

    static Stream<Arguments> invalid() {
        SgdProvider sgd = new SgdProvider();
        AdamProvider adam = new AdamProvider();
        AdamWProvider adamw = new AdamWProvider();
        RmsPropProvider rms = new RmsPropProvider();
        AdagradProvider ada = new AdagradProvider();
        StepLrProvider step = new StepLrProvider();
        ExponentialLrProvider exp = new ExponentialLrProvider();
        CosineLrProvider cos = new CosineLrProvider();
        WarmupLrProvider warm = new WarmupLrProvider();
        CyclicalLrProvider cyc = new CyclicalLrProvider();
        return Stream.of(
                bad("sgd", "lr", () -> sgd.create(new SgdProvider.Config(-0.1, 0, 0, false, 0), Map.of())),
                bad("sgd", "lr", () -> sgd.create(new SgdProvider.Config(NAN, 0, 0, false, 0), Map.of())),
                bad("sgd", "momentum", () -> sgd.create(new SgdProvider.Config(0.1, -0.9, 0, false, 0), Map.of())),
                bad("sgd", "dampening", () -> sgd.create(new SgdProvider.Config(0.1, 0.9, INF, false, 0), Map.of())),
                bad("sgd", "weightDecay", () -> sgd.create(new SgdProvider.Config(0.1, 0, 0, false, -1), Map.of())),
                bad("sgd", "nesterov", () -> sgd.create(new SgdProvider.Config(0.1, 0, 0, true, 0), Map.of())),
                bad("sgd", "nesterov", () -> sgd.create(new SgdProvider.Config(0.1, 0.9, 0.1, true, 0), Map.of())),
                bad("adam", "lr", () -> adam.create(new AdamProvider.Config(-1e-3, 0.9, 0.999, 1e-8, 0, false),
                        Map.of())),
                bad("adam", "beta1", () -> adam.create(new AdamProvider.Config(1e-3, 1.0, 0.999, 1e-8, 0, false),
                        Map.of())),
                bad("adam", "beta2", () -> adam.create(new AdamProvider.Config(1e-3, 0.9, -0.1, 1e-8, 0, false),
                        Map.of())),
                bad("adam", "eps", () -> adam.create(new AdamProvider.Config(1e-3, 0.9, 0.999, 0, 0, false),
                        Map.of())),
                bad("adam", "weightDecay", () -> adam.create(
                        new AdamProvider.Config(1e-3, 0.9, 0.999, 1e-8, -0.01, false), Map.of())),
                bad("adamw", "beta1", () -> adamw.create(new AdamWProvider.Config(1e-3, 1.5, 0.999, 1e-8, 0, false),
                        Map.of())),
                bad("adamw", "eps", () -> adamw.create(new AdamWProvider.Config(1e-3, 0.9, 0.999, -1, 0, false),
                        Map.of())),
                bad("adamw", "weightDecay", () -> adamw.create(
                        new AdamWProvider.Config(1e-3, 0.9, 0.999, 1e-8, -1, false), Map.of())),
                bad("rmsprop", "lr", () -> rms.create(new RmsPropProvider.Config(-1, 0.99, 1e-8, 0, 0, false),
                        Map.of())),
                bad("rmsprop", "alpha", () -> rms.create(new RmsPropProvider.Config(0.01, 1.5, 1e-8, 0, 0, false),
                        Map.of())),
                bad("rmsprop", "eps", () -> rms.create(new RmsPropProvider.Config(0.01, 0.99, 0, 0, 0, false),
                        Map.of())),
                bad("rmsprop", "weightDecay", () -> rms.create(
                        new RmsPropProvider.Config(0.01, 0.99, 1e-8, -1, 0, false), Map.of())),
                bad("rmsprop", "momentum", () -> rms.create(
                        new RmsPropProvider.Config(0.01, 0.99, 1e-8, 0, -0.5, false), Map.of())),
                bad("adagrad", "lr", () -> ada.create(new AdagradProvider.Config(-1, 0, 0, 0, 1e-10), Map.of())),
                bad("adagrad", "lrDecay", () -> ada.create(new AdagradProvider.Config(0.01, -1, 0, 0, 1e-10),
                        Map.of())),
                bad("adagrad", "weightDecay", () -> ada.create(new AdagradProvider.Config(0.01, 0, -1, 0, 1e-10),
                        Map.of())),
                bad("adagrad", "initialAccumulatorValue", () -> ada.create(
                        new AdagradProvider.Config(0.01, 0, 0, -1, 1e-10), Map.of())),
                bad("adagrad", "eps", () -> ada.create(new AdagradProvider.Config(0.01, 0, 0, 0, 0), Map.of())),
                bad("step", "stepSize", () -> step.create(new StepLrProvider.Config(0, 0.1))),
                bad("step", "gamma", () -> step.create(new StepLrProvider.Config(10, -0.1))),
                bad("exponential", "gamma", () -> exp.create(new ExponentialLrProvider.Config(NAN))),
                bad("cosine", "tMax", () -> cos.create(new CosineLrProvider.Config(0, 0))),
                bad("cosine", "etaMin", () -> cos.create(new CosineLrProvider.Config(10, -1e-3))),
                bad("warmup", "warmupSteps", () -> warm.create(new WarmupLrProvider.Config(-1, 0.5))),
                bad("warmup", "startFactor", () -> warm.create(new WarmupLrProvider.Config(5, 1.5))),
                bad("cyclical", "baseLr", () -> cyc.create(
                        new CyclicalLrProvider.Config(-1, 0.1, 10, "triangular", 1))),
                bad("cyclical", "maxLr", () -> cyc.create(
                        new CyclicalLrProvider.Config(0.1, 0.01, 10, "triangular", 1))),
                bad("cyclical", "stepSize", () -> cyc.create(
                        new CyclicalLrProvider.Config(0.01, 0.1, 0, "triangular", 1))),
                bad("cyclical", "mode", () -> cyc.create(new CyclicalLrProvider.Config(0.01, 0.1, 10, "sawtooth", 1))),
                bad("cyclical", "mode", () -> cyc.create(new CyclicalLrProvider.Config(0.01, 0.1, 10, null, 1))),
                bad("cyclical", "gamma", () -> cyc.create(
                        new CyclicalLrProvider.Config(0.01, 0.1, 10, "exp_range", 0))));
    }

    @ParameterizedTest(name = "{0}.{1}")
    @MethodSource("invalid")
    void invalidConfigNamesProviderAndField(String id, String field, Executable create) {
        DendriteException e = assertThrows(DendriteException.class, create);
        assertTrue(e.getMessage().startsWith(id + ": " + field + " must be "), e.getMessage());
    }

    @Test
    void everyDefaultConfigIsValid() {
        assertDoesNotThrow(() -> {
            new SgdProvider().create(new SgdProvider().defaultConfig(), Map.of());
            new AdamProvider().create(new AdamProvider().defaultConfig(), Map.of());
            new AdamWProvider().create(new AdamWProvider().defaultConfig(), Map.of());
            new RmsPropProvider().create(new RmsPropProvider().defaultConfig(), Map.of());
            new AdagradProvider().create(new AdagradProvider().defaultConfig(), Map.of());
            new StepLrProvider().create(new StepLrProvider().defaultConfig());
            new ExponentialLrProvider().create(new ExponentialLrProvider().defaultConfig());
            new CosineLrProvider().create(new CosineLrProvider().defaultConfig());
            new WarmupLrProvider().create(new WarmupLrProvider().defaultConfig());
            new CyclicalLrProvider().create(new CyclicalLrProvider().defaultConfig());
        });
    }

    @Test
    void validEdgeCasesAreAccepted() {
        assertDoesNotThrow(() -> {
            new SgdProvider().create(new SgdProvider.Config(0, 0.9, 0, true, 0), Map.of());
            new AdamProvider().create(new AdamProvider.Config(1e-3, 0, 0, 1e-8, 0, true), Map.of());
            new RmsPropProvider().create(new RmsPropProvider.Config(0.01, 0, 1e-8, 0, 0, true), Map.of());
            new WarmupLrProvider().create(new WarmupLrProvider.Config(0, 0));
            new CyclicalLrProvider().create(new CyclicalLrProvider.Config(0.1, 0.1, 1, "triangular2", 1));
        });
    }
}

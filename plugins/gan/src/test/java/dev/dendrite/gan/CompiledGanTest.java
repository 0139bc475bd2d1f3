package dev.dendrite.gan;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.dendrite.nn.Parameters;
import dev.dendrite.testkit.Compare;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * GAN training through compiled steps (the generator forward, the discriminator step, the generator loss handing
 * its input's gradient back) gives what eager training gives, bit for bit: every epoch's losses, both models'
 * parameters, both optimizers' state and the random stream, with one discriminator step per round and with two.
 */
class CompiledGanTest {
    @ParameterizedTest
    @CsvSource({"non_saturating, 1", "least_squares, 2"})
    void compiledTrainingIsBitIdenticalToEager(String loss, int discriminatorSteps) {
        GanSpec s = Gans.spec(loss, 0, 3);
        GanSpec spec = new GanSpec(s.generator(), s.discriminator(), s.noise(), s.loss(), s.labelSmoothing(),
                discriminatorSteps, s.generatorSteps(), s.generatorOptimizer(), s.discriminatorOptimizer(),
                s.initStd(), s.epochs(), s.batchSize(), s.seed(), s.data());
        GanRun eager = Gans.fresh(spec, Gans.real(640));
        GanRun compiled = Gans.fresh(spec, Gans.real(640));
        GanState a = new GanTrainer(List.of(), null, false).fit(eager);
        GanState b = new GanTrainer(List.of(), null, true).fit(compiled);
        for (int e = 0; e < a.history().size(); e++) {
            GanEpochStats x = a.history().get(e);
            GanEpochStats y = b.history().get(e);
            // Everything but the timings.
            assertEquals(List.of(x.epoch(), x.discriminatorLoss(), x.generatorLoss(), x.discriminatorReal(),
                    x.discriminatorFake()), List.of(y.epoch(), y.discriminatorLoss(), y.generatorLoss(),
                    y.discriminatorReal(), y.discriminatorFake()), "epoch " + (e + 1));
        }
        assertEquals(a.rngState(), b.rngState(), "the random stream");
        same("generator", Parameters.snapshot(eager.generator()), Parameters.snapshot(compiled.generator()));
        same("discriminator", Parameters.snapshot(eager.discriminator()), Parameters.snapshot(compiled.discriminator()));
        same("generator optimizer", eager.generatorOptimizer().state(), compiled.generatorOptimizer().state());
        same("discriminator optimizer", eager.discriminatorOptimizer().state(),
                compiled.discriminatorOptimizer().state());
    }

    private static void same(String what, Map<String, INDArray> a, Map<String, INDArray> b) {
        assertEquals(a.keySet(), b.keySet(), what);
        a.forEach((k, v) -> Compare.assertBitEqual(what + " " + k, b.get(k), v));
    }
}

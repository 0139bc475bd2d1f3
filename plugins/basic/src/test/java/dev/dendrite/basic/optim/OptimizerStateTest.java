package dev.dendrite.basic.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dendrite.optim.Optimizer;
import dev.dendrite.optim.OptimizerProvider;
import dev.dendrite.tensor.DendriteException;
import dev.dendrite.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** {@code state()} then {@code loadState()} into a fresh optimizer must continue bit for bit. */
class OptimizerStateTest {
    static Stream<Arguments> optimizers() {
        return Stream.of(
                Arguments.of("sgd", factory(new SgdProvider(), new SgdProvider.Config(0.1, 0.8, 0.3, false, 0.05)),
                        Set.of("w/momentum_buffer")),
                Arguments.of("adam", factory(new AdamProvider(),
                        new AdamProvider.Config(0.05, 0.8, 0.95, 1e-6, 0.1, true)),
                        Set.of("w/exp_avg", "w/exp_avg_sq", "w/max_exp_avg_sq")),
                Arguments.of("adamw", factory(new AdamWProvider(), new AdamWProvider().defaultConfig()),
                        Set.of("w/exp_avg", "w/exp_avg_sq")),
                Arguments.of("rmsprop", factory(new RmsPropProvider(),
                        new RmsPropProvider.Config(0.02, 0.9, 1e-6, 0.1, 0.5, true)),
                        Set.of("w/square_avg", "w/grad_avg", "w/momentum_buffer")),
                Arguments.of("adagrad", factory(new AdagradProvider(),
                        new AdagradProvider.Config(0.1, 0.5, 0.1, 0.2, 1e-6)),
                        Set.of("w/state_sum")));
    }

    private static <C extends Record> Function<Tensor, Optimizer> factory(
            OptimizerProvider<C> provider, C config) {
        return p -> Fixture.create(provider, config, p);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("optimizers")
    void stateRoundTripContinuesIdentically(String id, Function<Tensor, Optimizer> make, Set<String> slots) {
        Tensor p1 = Fixture.param();
        Optimizer first = make.apply(p1);
        Fixture.run(first, p1, 0, 2);
        Map<String, INDArray> state = first.state();
        assertEquals(slots.size() + 2, state.size(), "state keys " + state.keySet());
        assertEquals(2, state.get("w/step").getLong(0), "steps are counted per parameter");
        assertTrue(state.keySet().containsAll(slots), "state keys " + state.keySet());
        assertEquals(2, state.get("step").getLong(0));

        Tensor p2 = Tensor.leaf(p1.data().dup());
        Optimizer second = make.apply(p2);
        second.loadState(state);
        Fixture.run(first, p1, 2, 3);
        Fixture.run(second, p2, 2, 3);
        assertArrayEquals(p1.data().toDoubleVector(), p2.data().toDoubleVector(), 0.0);
        assertEquals(first.state().keySet(), second.state().keySet());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("optimizers")
    void stateIsACopy(String id, Function<Tensor, Optimizer> make, Set<String> slots) {
        Tensor p = Fixture.param();
        Optimizer opt = make.apply(p);
        Fixture.run(opt, p, 0, 1);
        Map<String, INDArray> before = opt.state();
        double[] saved = before.get(slots.iterator().next()).toDoubleVector();
        Fixture.run(opt, p, 1, 3);
        assertArrayEquals(saved, before.get(slots.iterator().next()).toDoubleVector(), 0.0);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("optimizers")
    void wrongShapeIsRejected(String id, Function<Tensor, Optimizer> make, Set<String> slots) {
        Map<String, INDArray> state = trainedState(make);
        String key = slots.iterator().next();
        state.put(key, Nd4j.zeros(DataType.DOUBLE, 4));
        DendriteException e = assertThrows(DendriteException.class,
                () -> make.apply(Fixture.param()).loadState(state));
        assertTrue(e.getMessage().contains(key) && e.getMessage().contains("shape"), e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("optimizers")
    void unknownParameterIsRejected(String id, Function<Tensor, Optimizer> make, Set<String> slots) {
        Map<String, INDArray> state = trainedState(make);
        String key = "decoder.bias/" + slots.iterator().next().substring(2);
        state.put(key, Nd4j.zeros(DataType.DOUBLE, 3));
        DendriteException e = assertThrows(DendriteException.class,
                () -> make.apply(Fixture.param()).loadState(state));
        assertTrue(e.getMessage().contains(key), e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("optimizers")
    void missingStepIsRejected(String id, Function<Tensor, Optimizer> make, Set<String> slots) {
        Map<String, INDArray> state = trainedState(make);
        state.remove("step");
        DendriteException e = assertThrows(DendriteException.class,
                () -> make.apply(Fixture.param()).loadState(state));
        assertTrue(e.getMessage().contains("step"), e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("optimizers")
    void failedLoadLeavesTheOptimizerUntouched(String id, Function<Tensor, Optimizer> make, Set<String> slots) {
        Tensor p = Fixture.param();
        Optimizer opt = make.apply(p);
        Fixture.run(opt, p, 0, 1);
        Map<String, INDArray> good = opt.state();
        Map<String, INDArray> bad = new LinkedHashMap<>(good);
        bad.put("nope/x", Nd4j.zeros(3));
        assertThrows(DendriteException.class, () -> opt.loadState(bad));
        Map<String, INDArray> after = opt.state();
        assertEquals(good.keySet(), after.keySet());
        for (String k : good.keySet()) {
            assertArrayEquals(good.get(k).toDoubleVector(), after.get(k).toDoubleVector(), 0.0, k);
        }
    }

    private static Map<String, INDArray> trainedState(Function<Tensor, Optimizer> make) {
        Tensor p = Fixture.param();
        Optimizer opt = make.apply(p);
        Fixture.run(opt, p, 0, 2);
        return new LinkedHashMap<>(opt.state());
    }
}

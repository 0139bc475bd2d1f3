package dev.dendrite.basic.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.dendrite.ops.F;
import dev.dendrite.optim.Optimizer;
import dev.dendrite.optim.OptimizerProvider;
import dev.dendrite.tensor.Tensor;
import java.util.Map;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The shared test problem: a 3-element float64 parameter {@link #P0} and three different gradients
 * {@link #GRADS}, one per step. Each optimizer test replays them and compares with a scalar reference.
 */
final class Fixture {
    static final double TOL = 1e-12;
    static final double[] P0 = {0.5, -1.2, 2.0};
    static final double[][] GRADS = {{0.1, -0.3, 0.8}, {-0.4, 0.2, 0.05}, {0.7, -0.6, -0.25}};
    static final String NAME = "w";

    private Fixture() {}

    static Tensor param() {
        return Tensor.leaf(Nd4j.createFromArray(P0.clone()));
    }

    /** Replaces {@code p}'s gradient with {@code g}: backward of {@code sum(p * g)}. */
    static void setGrad(Tensor p, double[] g) {
        p.zeroGrad();
        F.sum(F.mul(p, Tensor.of(Nd4j.createFromArray(g.clone()))), false).backward();
    }

    static <C extends Record> Optimizer create(OptimizerProvider<C> provider, C config, Tensor p) {
        return provider.create(config, Map.of(NAME, p));
    }

    /** Runs steps {@code from..to-1} of {@link #GRADS}. */
    static void run(Optimizer opt, Tensor p, int from, int to) {
        for (int s = from; s < to; s++) {
            setGrad(p, GRADS[s]);
            opt.step();
        }
    }

    /** The parameter after all three steps of a fresh optimizer. */
    static double[] threeSteps(Optimizer opt, Tensor p) {
        run(opt, p, 0, GRADS.length);
        return p.data().toDoubleVector();
    }

    static void assertClose(double[] expected, double[] actual) {
        assertEquals(expected.length, actual.length, "length");
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], TOL, "element " + i);
        }
    }
}

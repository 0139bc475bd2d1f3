package dev.dendrite.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dendrite.ops.F;
import dev.dendrite.tensor.GradMode;
import dev.dendrite.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class PredictTest {
    /** Doubles its input in evaluation mode, triples it in training mode; remembers whether it saw a graph. */
    private static final class Probe extends Module {
        boolean sawGraph;

        Probe() {
            super("probe");
        }

        @Override
        protected Tensor call(Tensor x) {
            sawGraph |= GradMode.isEnabled();
            return F.mul(x, isTraining() ? 3 : 2);
        }
    }

    @Test
    void chunksInEvaluationModeWithoutAGraphAndRestoresTheMode() {
        Probe p = new Probe();
        p.train(true);
        INDArray x = Nd4j.arange(0, 21).castTo(DataType.DOUBLE).reshape(7, 3);
        INDArray y = Predict.outputs(p, x, 3);
        assertArrayEquals(x.mul(2).data().asDouble(), y.data().asDouble(), 0, "7 rows in chunks of 3, in order");
        assertArrayEquals(new long[] {7, 3}, y.shape());
        assertFalse(p.sawGraph);
        assertTrue(p.isTraining(), "training mode restored");
    }
}

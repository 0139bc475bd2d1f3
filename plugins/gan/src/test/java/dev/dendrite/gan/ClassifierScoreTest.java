package dev.dendrite.gan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.dendrite.nn.Module;
import dev.dendrite.tensor.DendriteException;
import dev.dendrite.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class ClassifierScoreTest {
    @Test
    void confidentAndEvenlySpreadScoresTheClassCount() {
        assertEquals(10, ClassifierScore.fromProbabilities(Nd4j.eye(10).repeat(0, 3)), 1e-9);
    }

    @Test
    void oneClassOrNoConfidenceScoresOne() {
        INDArray oneClass = Nd4j.zeros(DataType.DOUBLE, 50, 10);
        oneClass.getColumn(3).assign(1);
        assertEquals(1, ClassifierScore.fromProbabilities(oneClass), 1e-9);
        assertEquals(1, ClassifierScore.fromProbabilities(Nd4j.ones(DataType.DOUBLE, 50, 10).div(10)), 1e-9);
    }

    /** exp(KL) by hand for two images over two classes. */
    @Test
    void matchesTheFormula() {
        INDArray p = Nd4j.createFromArray(new double[][] {{0.9, 0.1}, {0.3, 0.7}});
        double m0 = 0.6;
        double m1 = 0.4;
        double kl1 = 0.9 * Math.log(0.9 / m0) + 0.1 * Math.log(0.1 / m1);
        double kl2 = 0.3 * Math.log(0.3 / m0) + 0.7 * Math.log(0.7 / m1);
        assertEquals(Math.exp((kl1 + kl2) / 2), ClassifierScore.fromProbabilities(p), 1e-12);
    }

    /** The classifier sees the images through the adapter, in chunks, and its logits become probabilities. */
    @Test
    void scoresImagesThroughTheClassifier() {
        Module identity = new Module("identity") {
            @Override
            protected Tensor call(Tensor x) {
                return x;
            }
        };
        // 1200 "images" (more than two chunks) whose logits, after ×100, pick class i mod 4.
        INDArray logits = Nd4j.zeros(DataType.FLOAT, 1200, 4);
        for (int i = 0; i < 1200; i++) {
            logits.putScalar(i, i % 4, 1);
        }
        ClassifierScore score = new ClassifierScore(identity, x -> x.mul(100));
        assertEquals(4, score.of(logits), 1e-6);
    }

    @Test
    void refusesEmptyOrMisshapenProbabilities() {
        DendriteException e = assertThrows(DendriteException.class,
                () -> ClassifierScore.fromProbabilities(Nd4j.zeros(3)));
        assertEquals("classifier score: probabilities must be [n > 0, classes], got [3]", e.getMessage());
    }
}

package dev.dendrite.rnn;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dendrite.nn.Init;
import dev.dendrite.nn.LayerContext;
import dev.dendrite.random.Rng;
import dev.dendrite.spi.Registry;
import dev.dendrite.tensor.GradMode;
import dev.dendrite.tensor.Tensor;
import dev.dendrite.testkit.Compare;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Dropout as PyTorch applies it: between stacked layers in training only, never after the last layer. */
class RecurrentDropoutTest {
    private static Lstm lstm(int layers, double p) {
        return new Lstm(Lstm.Config.of(3, 4).withLayers(layers).withDropout(p),
                new LayerContext(DataType.DOUBLE, new Rng(9), Registry.of("layer", List.of())));
    }

    private static INDArray run(Lstm l, boolean training, Tensor x) {
        l.train(training);
        try (var off = GradMode.off()) {
            return l.forward(x).data();
        }
    }

    @Test
    void betweenLayersInTrainingOnly() {
        Tensor x = Tensor.of(Init.normal(new Rng(2), DataType.DOUBLE, 0, 1, 5, 2, 3));
        Lstm plain = lstm(2, 0);
        Lstm dropped = lstm(2, 0.5);
        Compare.assertBitEqual("evaluation ignores dropout", run(dropped, false, x), run(plain, false, x));
        assertTrue(Compare.maxAbsDiff("training", run(dropped, true, x), run(plain, true, x)) > 0,
                "training drops between layers");
        Lstm single = lstm(1, 0.5);
        Compare.assertBitEqual("no dropout after the last layer", run(single, true, x), run(single, false, x));
    }
}

package dev.dendrite.onnxbridge;

import static dev.dendrite.onnxbridge.Models.floatInput;
import static dev.dendrite.onnxbridge.Models.model;
import static dev.dendrite.onnxbridge.Models.node;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dendrite.onnxbridge.proto.GraphProto;
import dev.dendrite.onnxbridge.proto.ModelProto;
import dev.dendrite.random.Rng;
import dev.dendrite.tensor.Tensor;
import dev.dendrite.testkit.Compare;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** An imported model's random ops draw from the run's stream: a seeded fine-tuning run repeats exactly. */
class RandomStreamTest {
    private static final ModelProto DROPOUT = model(GraphProto.newBuilder().addInput(floatInput("x", 4, 50))
            .addNode(node("Dropout", "drop", new String[] {"x"}, new String[] {"y"}))
            .addOutput(floatInput("y", 4, 50)), 13);

    private static INDArray trainingForward(long seed) {
        ImportedModel m = new OnnxImporter().importModel(DROPOUT, null);
        m.train(true);
        m.randomStream(new Rng(seed));
        return m.run(Tensor.of(Nd4j.ones(DataType.FLOAT, 4, 50)))[0].data();
    }

    @Test
    void dropoutMasksFollowTheBoundStream() {
        Compare.assertBitEqual("same stream, same masks", trainingForward(5), trainingForward(5));
        assertTrue(Compare.maxAbsDiff("another seed", trainingForward(6), trainingForward(5)) > 0,
                "another seed, another mask");
        // Inverted dropout at ratio 0.5: kept units are scaled by 2.
        INDArray y = trainingForward(5);
        assertEquals(y.length(), y.eq(0).castTo(DataType.INT).sumNumber().longValue()
                + y.eq(2).castTo(DataType.INT).sumNumber().longValue());
    }
}

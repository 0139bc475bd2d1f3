package dev.dendrite.onnxbridge.ops.loss;

import static dev.dendrite.onnxbridge.ops.rnn.OneNode.normal;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dendrite.onnx.OnnxImportException;
import dev.dendrite.onnxbridge.ImportedModel;
import dev.dendrite.onnxbridge.OrtRunner;
import dev.dendrite.onnxbridge.ops.rnn.OneNode;
import dev.dendrite.onnxbridge.proto.ModelProto;
import dev.dendrite.ops.F;
import dev.dendrite.tensor.GradMode;
import dev.dendrite.tensor.Tensor;
import dev.dendrite.testkit.GradCheck;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** SoftmaxCrossEntropyLoss and NegativeLogLikelihoodLoss: gradients, ONNX Runtime agreement, bad input. */
class ClassLossTest {
    private static final DataType D = DataType.DOUBLE;
    /** [N=2, d1=3] targets of 4 classes; -1 is ignored where a test sets ignore_index -1. */
    private static final INDArray TARGET = Nd4j.createFromArray(new long[] {0, 3, -1, 2, -1, 1}).reshape(2, 3);

    @Test
    void softmaxCrossEntropyGradientReachesScoresAndWeight() {
        for (String reduction : new String[] {"mean", "sum", "none"}) {
            gradCheck("SoftmaxCrossEntropyLoss", reduction, true);
        }
        gradCheck("SoftmaxCrossEntropyLoss", "mean", false);
    }

    @Test
    void negativeLogLikelihoodGradientReachesInputAndWeight() {
        gradCheck("NegativeLogLikelihoodLoss", "mean", true);
        gradCheck("NegativeLogLikelihoodLoss", "none", false);
    }

    @Test
    void agreesWithOnnxRuntime() {
        INDArray x = normal(3, DataType.FLOAT, 1, 2, 4, 3);
        INDArray w = normal(4, DataType.FLOAT, 1, 4).addi(2);
        for (String reduction : new String[] {"mean", "sum", "none"}) {
            ModelProto m = OneNode.model("SoftmaxCrossEntropyLoss", 13, Map.of("reduction", reduction,
                    "ignore_index", -1L), new String[] {"z", "log_prob"}, "x", x, "y", TARGET, "w", w);
            INDArray[] expected;
            try (OrtRunner ort = new OrtRunner(m)) {
                expected = ort.run(x, TARGET, w);
            }
            Tensor[] actual;
            try (var off = GradMode.off()) {
                actual = OneNode.load(m).run(Tensor.of(x), Tensor.of(TARGET), Tensor.of(w));
            }
            for (int j = 0; j < 2; j++) {
                assertArrayEquals(expected[j].shape(), actual[j].shape());
                double[] e = expected[j].dup('c').reshape(new long[] {expected[j].length()}).toDoubleVector();
                double[] a = actual[j].data().dup('c').reshape(new long[] {e.length}).toDoubleVector();
                for (int i = 0; i < e.length; i++) {
                    assertEquals(e[i], a[i], 1e-5 + 1e-4 * Math.abs(e[i]), reduction + " output " + j + " @" + i);
                }
            }
        }
    }

    @Test
    void badInputNamesTheNode() {
        INDArray x = normal(5, DataType.FLOAT, 1, 2, 4, 3);
        fails("target holds class 3, outside [0, 3)", Map.of(), normal(5, DataType.FLOAT, 1, 2, 3, 3),
                Nd4j.createFromArray(new long[] {0, 3, 1, 2, 0, 1}).reshape(2, 3), null);
        fails("target holds class -1", Map.of(), x, TARGET, null);
        fails("reduction 'avg' is not supported", Map.of("reduction", "avg"), x, TARGET, null);
        fails("the target must be integer of shape [2, 3]", Map.of(), x, TARGET.reshape(3, 2), null);
        fails("weight must be FLOAT[4]", Map.of(), x, TARGET, normal(6, DataType.FLOAT, 1, 3));
    }

    /** A vector gathered with 2-D indices (the weight lookup) used to crash libnd4j. */
    @Test
    void gatherFromAVectorWithMultiDimensionalIndices() {
        Tensor v = Tensor.of(Nd4j.createFromArray(10.0, 11.0, 12.0, 13.0));
        Tensor y = F.gather(v, Tensor.of(Nd4j.createFromArray(new long[] {3, 0, -1, 1, 1, 2}).reshape(2, 1, 3)), 0);
        assertArrayEquals(new long[] {2, 1, 3}, y.shape());
        assertArrayEquals(new double[] {13, 10, 13, 11, 11, 12}, y.data().dup('c').reshape(new long[] {6})
                .toDoubleVector());
    }

    private static void gradCheck(String op, String reduction, boolean weighted) {
        INDArray x = normal(1, D, 1, 2, 4, 3);
        INDArray w = weighted ? normal(2, D, 0.3, 4).addi(1) : null;
        Map<String, Object> attrs = Map.of("reduction", reduction, "ignore_index", -1L);
        ModelProto m = OneNode.model(op, 13, attrs, new String[] {"loss"}, "x", x, "t", TARGET, "w", w);
        ImportedModel model = OneNode.load(m);
        Tensor xs = Tensor.leaf(x);
        Map<String, Tensor> leaves = new LinkedHashMap<>();
        leaves.put("x", xs);
        Tensor ws = null;
        if (weighted) {
            ws = Tensor.leaf(w);
            leaves.put("w", ws);
        }
        Tensor[] feed = weighted ? new Tensor[] {xs, Tensor.of(TARGET), ws} : new Tensor[] {xs, Tensor.of(TARGET)};
        GradCheck.check(op + " " + reduction + (weighted ? " weighted" : ""), leaves, () -> model.run(feed)[0]);
    }

    private static void fails(String message, Map<String, Object> attrs, INDArray x, INDArray t, INDArray w) {
        ModelProto m = OneNode.model("NegativeLogLikelihoodLoss", 13, attrs, new String[] {"loss"}, "x", x, "t", t,
                "w", w);
        ImportedModel model = OneNode.load(m);
        OnnxImportException e = assertThrows(OnnxImportException.class,
                () -> model.run(OneNode.feed(false, x, t, w)));
        assertTrue(e.getMessage().contains("the_negativeloglikelihoodloss") && e.getMessage().contains(message),
                e.getMessage());
    }
}

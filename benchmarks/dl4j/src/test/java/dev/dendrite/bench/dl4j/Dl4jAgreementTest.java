package dev.dendrite.bench.dl4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.dendrite.bench.TrainingStep;
import dev.dendrite.bench.compare.Workload;
import dev.dendrite.nn.Layer;
import dev.dendrite.ops.F;
import dev.dendrite.reference.models.LeNet5;
import dev.dendrite.tensor.Tensor;
import dev.dendrite.testkit.Compare;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.layers.convolution.ConvolutionLayer;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNConvHelper;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The dl4j columns compare like with like: DL4J's models have our rows' parameter counts and, given our weights,
 * compute our outputs, loss and gradients (forward and backward of the same batch), as shipped and with the oneDNN
 * helpers engaged. Runs with the dl4j profile only ({@code mvn -Pdl4j -pl benchmarks/dl4j -am test}).
 */
class Dl4jAgreementTest {
    private static final double TOL = 2e-4;

    @Test
    void parameterCountsMatchOursExceptLstmsSecondBias() {
        assertEquals(count(TrainingStep.of(new LeNet5().spec(), 4, 1).model), Dl4jModels.lenet5(1).numParams());
        assertEquals(count(TrainingStep.mlp(4, 1).model), Dl4jModels.mlp(1).numParams());
        // embedding 64×128 + LSTM 4·256·(128 + 256) + one bias 4·256 + head 256·64 + 64; ours adds b_hh (1,024).
        assertEquals(64 * 128 + 4 * 256 * (128 + 256) + 4 * 256 + 256 * 64 + 64, Dl4jModels.lstm(1, 50).numParams());
    }

    @Test
    void lenet5GivesOurOutputsLossAndGradientsFromOurWeightsInBothModes() {
        for (boolean oneDnn : new boolean[] {false, true}) {
            agree(TrainingStep.of(new LeNet5().spec(), 16, 7), Dl4jModels.lenet5(1), oneDnn, Map.of(
                    "conv1", "0", "conv2", "2", "fc1", "4", "fc2", "5", "fc3", "6"));
        }
    }

    @Test
    void mlpGivesOurOutputsLossAndGradientsFromOurWeights() {
        agree(TrainingStep.mlp(16, 7), Dl4jModels.mlp(1), false, Map.of("fc1", "0", "fc2", "1"));
    }

    @Test
    void theWorkerNamesTheVersionItRuns() {
        assertEquals("1.0.0-M2.1", Dl4jWorker.version());
    }

    @Test
    void theOneDnnModeReallyHasTheHelpers() {
        MultiLayerNetwork net = Dl4jModels.lenet5(1);
        assertEquals(4, OneDnnHelpers.engage(net), "2 convolutions + 2 poolings");
        assertInstanceOf(MKLDNNConvHelper.class, ((ConvolutionLayer) net.getLayer(0)).getHelper());
        assertEquals(null, ((ConvolutionLayer) Dl4jModels.lenet5(1).getLayer(0)).getHelper(),
                "as shipped, DL4J M2.1 creates no helper");
    }

    @Test
    void everyRowDl4jHasRunsInBothModes() {
        for (Workload w : Workload.ALL) {
            if (!Dl4jSteps.supports(w)) {
                continue;
            }
            for (boolean oneDnn : new boolean[] {false, true}) {
                Runnable step = Dl4jSteps.of(w, oneDnn);
                step.run();
                step.run();
            }
        }
        assertEquals(List.of("lenet5_train_b64", "lenet5_train_b256", "mlp_train_b256", "lstm_train_b32",
                "lenet5_infer_b1", "lenet5_infer_b64"),
                Workload.ALL.stream().filter(Dl4jSteps::supports).map(Workload::name).toList());
    }

    /**
     * Copies our parameters into {@code net} (dense weights are [in, out] in DL4J, [out, in] in ours), then checks
     * DL4J's softmax output against softmax of our logits, its score against our mean cross-entropy, and every
     * parameter's gradient against ours.
     */
    private static void agree(TrainingStep ours, MultiLayerNetwork net, boolean oneDnn, Map<String, String> layers) {
        if (oneDnn) {
            OneDnnHelpers.engage(net);
        }
        Map<String, INDArray> theirs = net.paramTable();
        Map<String, Tensor> mine = ours.model.parameters();
        layers.forEach((name, index) -> {
            theirs.get(index + "_W").assign(dl4jLayout(mine.get(name + ".weight").data()));
            theirs.get(index + "_b").assign(mine.get(name + ".bias").data().reshape(theirs.get(index + "_b").shape()));
        });
        INDArray x = ours.features.data();
        INDArray ids = ours.labels.data();
        Tensor logits = ours.model.forward(ours.features);
        Tensor loss = F.mean(F.crossEntropy(logits, ours.labels, 0), false, 0);
        loss.backward();

        String mode = oneDnn ? " (oneDNN helpers)" : " (as shipped)";
        Compare.assertClose("output" + mode, net.output(x, false), Transforms.softmax(logits.data().dup()), TOL);
        net.setInput(x);
        net.setLabels(Dl4jSteps.oneHot(ids, 10));
        net.computeGradientAndScore();
        assertEquals(loss.item(), net.score(), TOL, "loss" + mode);
        // DL4J's backward gives the batch's summed gradient; its updater divides by the batch size (miniBatch).
        double batch = x.size(0);
        layers.forEach((name, index) -> {
            Compare.assertClose(name + ".weight gradient" + mode,
                    net.gradient().getGradientFor(index + "_W").div(batch),
                    dl4jLayout(mine.get(name + ".weight").grad()), TOL);
            Compare.assertClose(name + ".bias gradient" + mode, net.gradient().getGradientFor(index + "_b")
                    .div(batch).reshape(mine.get(name + ".bias").grad().shape()), mine.get(name + ".bias").grad(), TOL);
        });
    }

    /** Our weight in DL4J's layout: convolutions are [out, in, kH, kW] in both, dense [out, in] is transposed. */
    private static INDArray dl4jLayout(INDArray w) {
        return w.rank() == 2 ? w.transpose().dup('c') : w;
    }

    private static long count(Layer model) {
        return model.parameters().values().stream().mapToLong(t -> t.data().length()).sum();
    }
}

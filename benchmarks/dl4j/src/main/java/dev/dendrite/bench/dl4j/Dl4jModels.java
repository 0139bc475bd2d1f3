package dev.dendrite.bench.dl4j;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/**
 * The harness's models written the way a DL4J user writes them (MultiLayerNetwork, workspaces on, float32),
 * with the shapes of Dendrite's rows: {@code LeNet5.SPEC}, {@code TrainingStep.MLP_SPEC} and the LSTM language
 * model of {@code SequenceSteps}. Differences DL4J imposes, and why they do not change the arithmetic:
 * <ul>
 *   <li>the optimizer is {@link Nesterovs} (lr 0.01, momentum 0.9): DL4J has no classical momentum SGD; the
 *       update costs the same few element-wise passes over the parameters;
 *   <li>a layer's activation is part of the layer (conv + ReLU), and the output layer is softmax + MCXENT on
 *       one-hot labels, which is what cross-entropy on class ids computes;
 *   <li>DL4J's LSTM has one bias vector where PyTorch and Dendrite have two ({@code b_ih + b_hh}): 1,024 fewer
 *       parameters, the same gate arithmetic; its embedding has no bias, as ours.
 * </ul>
 */
public final class Dl4jModels {
    private Dl4jModels() {}

    /** conv 5×5 (6, padding 2) ReLU, max-pool 2, conv 5×5 (16) ReLU, max-pool 2, dense 120, 84 ReLU, 10. */
    public static MultiLayerNetwork lenet5(long seed) {
        MultiLayerConfiguration conf = base(seed).list()
                .layer(new ConvolutionLayer.Builder(5, 5).nIn(1).nOut(6).padding(2, 2).activation(Activation.RELU)
                        .build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2)
                        .build())
                .layer(new ConvolutionLayer.Builder(5, 5).nOut(16).activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2)
                        .build())
                .layer(new DenseLayer.Builder().nOut(120).activation(Activation.RELU).build())
                .layer(new DenseLayer.Builder().nOut(84).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunction.MCXENT).nOut(10).activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutionalFlat(28, 28, 1))
                .build();
        return init(conf);
    }

    /** dense 784 → 256 ReLU → 10. */
    public static MultiLayerNetwork mlp(long seed) {
        MultiLayerConfiguration conf = base(seed).list()
                .layer(new DenseLayer.Builder().nIn(784).nOut(256).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunction.MCXENT).nIn(256).nOut(10).activation(Activation.SOFTMAX)
                        .build())
                .build();
        return init(conf);
    }

    /**
     * Embedding 64 → 128, LSTM 256, dense 64 at every step with softmax cross-entropy over all next-token targets;
     * DL4J's own sequence layout [batch, features, time] throughout (its fastest, and what its users write).
     */
    public static MultiLayerNetwork lstm(long seed, int seqLen) {
        MultiLayerConfiguration conf = base(seed).list()
                .layer(new EmbeddingSequenceLayer.Builder().nIn(64).nOut(128).inputLength(seqLen).hasBias(false)
                        .outputDataFormat(RNNFormat.NCW).build())
                .layer(new LSTM.Builder().nIn(128).nOut(256).activation(Activation.TANH).dataFormat(RNNFormat.NCW)
                        .build())
                .layer(new RnnOutputLayer.Builder(LossFunction.MCXENT).nIn(256).nOut(64)
                        .activation(Activation.SOFTMAX).dataFormat(RNNFormat.NCW).build())
                .build();
        return init(conf);
    }

    private static NeuralNetConfiguration.Builder base(long seed) {
        return new NeuralNetConfiguration.Builder().seed(seed).dataType(DataType.FLOAT)
                .updater(new Nesterovs(0.01, 0.9))
                .trainingWorkspaceMode(WorkspaceMode.ENABLED).inferenceWorkspaceMode(WorkspaceMode.ENABLED);
    }

    private static MultiLayerNetwork init(MultiLayerConfiguration conf) {
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }
}

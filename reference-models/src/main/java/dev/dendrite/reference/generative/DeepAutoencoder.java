package dev.dendrite.reference.generative;

import dev.dendrite.nn.Layer;
import dev.dendrite.nn.Predict;
import dev.dendrite.ops.F;
import dev.dendrite.reference.run.Engine;
import dev.dendrite.tensor.Tensor;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Hinton and Salakhutdinov's (2006) MNIST autoencoder: encoder 784-1000-500-250-30, the mirrored decoder
 * 30-250-500-1000-784. As in the paper the 30 code units are linear and the output units logistic (pixels are in
 * [0, 1]); the hidden units are ReLU instead of the paper's logistic units, because without the paper's RBM
 * pretraining a 9-layer logistic net trained from a random start learns slowly (see the study's report).
 */
final class DeepAutoencoder {
    static final int[] ENCODER = {784, 1000, 500, 250, 30};
    private static final int EVAL_BATCH = 1000;

    private DeepAutoencoder() {}

    /** The whole autoencoder as one sequential model: [batch, 784] pixels to [batch, 784] reconstructions. */
    static Layer build(Engine engine) {
        StringBuilder layers = new StringBuilder("[");
        int n = ENCODER.length;
        for (int i = 0; i + 1 < n; i++) { // encoder; the last (code) layer stays linear
            layers.append(dense("enc" + (i + 1), ENCODER[i], ENCODER[i + 1]));
            layers.append(i + 2 < n ? ",{\"type\": \"relu\"}," : ",");
        }
        for (int i = n - 1; i > 0; i--) { // decoder, mirrored; logistic output
            layers.append(dense("dec" + (n - i), ENCODER[i], ENCODER[i - 1]));
            layers.append(i > 1 ? ",{\"type\": \"relu\"}," : ",{\"type\": \"sigmoid\", \"name\": \"pixels\"}]");
        }
        return engine.sequential(layers.toString());
    }

    private static String dense(String name, int in, int out) {
        return "{\"type\": \"dense\", \"name\": \"%s\", \"config\": {\"in\": %d, \"out\": %d}}"
                .formatted(name, in, out);
    }

    /** The training objective: mean squared error per pixel, the figure the study compares with PCA. */
    static Tensor loss(Layer autoencoder, Tensor x) {
        Tensor d = F.sub(autoencoder.forward(x), x);
        return F.mean(F.mul(d, d), false);
    }

    /** The model's outputs for every row of {@code x}, in evaluation mode without gradients, 1000 rows at a time. */
    static INDArray apply(Layer model, INDArray x) {
        return Predict.outputs(model, x, EVAL_BATCH);
    }
}

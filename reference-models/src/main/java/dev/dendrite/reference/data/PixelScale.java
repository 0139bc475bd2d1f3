package dev.dendrite.reference.data;

import dev.dendrite.data.ArrayDataset;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Fashion-MNIST features between the loader's normalisation ((x − MEAN)/STD, what classifiers train on) and
 * the pixel scales generative models use: [0, 1] intensities, and [−1, 1] for a Tanh generator (Radford et al.).
 */
public final class PixelScale {
    private PixelScale() {}

    /** x·STD + MEAN: pixels in [0, 1], a new array. */
    public static INDArray unit(INDArray normalised) {
        return normalised.mul(FashionMnist.STD).addi(FashionMnist.MEAN);
    }

    /** The dataset with [0, 1] pixels as features (labels kept): what reconstruction errors are defined on. */
    public static ArrayDataset unit(ArrayDataset normalised) {
        return new ArrayDataset(unit(normalised.features()), normalised.labels(), normalised.description());
    }

    /** 2·pixel − 1: pixels in [−1, 1], a new array. */
    public static INDArray tanh(INDArray normalised) {
        return unit(normalised).muli(2).subi(1);
    }

    /** The inverse of {@link #tanh}: a generator's [−1, 1] images as a classifier's normalised input. */
    public static INDArray tanhToNormalised(INDArray images) {
        return images.add(1).muli(0.5).subi(FashionMnist.MEAN).divi(FashionMnist.STD);
    }

    /** The dataset as [n, 1, 28, 28] images in [−1, 1] (labels kept), what the DCGAN discriminator sees. */
    public static ArrayDataset tanhImages(ArrayDataset normalised) {
        INDArray x = tanh(normalised.features()).reshape(normalised.size(), 1, FashionMnist.HEIGHT, FashionMnist.WIDTH);
        return new ArrayDataset(x, normalised.labels(), normalised.description() + ", pixels in [-1, 1]");
    }
}

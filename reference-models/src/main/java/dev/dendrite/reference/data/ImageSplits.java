package dev.dendrite.reference.data;

import dev.dendrite.data.ArrayDataset;
import dev.dendrite.tensor.DendriteException;
import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Turns an IDX image file and its label file into a classification {@link ArrayDataset}: features
 * float32 {@code [N, H*W]}, scaled to [0, 1] and normalised, labels int64 {@code [N]}.
 *
 * <p>The files are checked against each other and against what the data set should be (image size,
 * number of classes) before anything is converted, so a wrong file is a message, not a model that quietly
 * trains on garbage. The conversion is three whole-array native ops; the UINT8 originals are freed at once
 * rather than left to the GC (the full training images are 47 MB).
 */
final class ImageSplits {
    private ImageSplits() {}

    /**
     * @param images consumed: its UINT8 array is closed once converted (as is that of {@code labels})
     * @param mean the mean of x/255 over the training images, subtracted from every pixel
     * @param std their standard deviation, by which every pixel is then divided
     */
    static ArrayDataset of(IdxArray images, IdxArray labels, long height, long width, long classes, float mean,
            float std, String description) {
        long[] is = images.shape();
        long[] ls = labels.shape();
        if (is.length != 3 || is[1] != height || is[2] != width) {
            throw new DendriteException(images.name() + ": expected images of shape [N, " + height + ", " + width
                    + "], the file has dims " + Arrays.toString(is));
        }
        if (ls.length != 1) {
            throw new DendriteException(labels.name() + ": expected labels of shape [N], the file has dims "
                    + Arrays.toString(ls));
        }
        if (is[0] != ls[0]) {
            throw new DendriteException(images.name() + " has " + is[0] + " images but " + labels.name() + " has "
                    + ls[0] + " labels");
        }
        long maxLabel = labels.values().maxNumber().longValue();
        if (maxLabel >= classes) {
            throw new DendriteException(labels.name() + ": label " + maxLabel + " is not a class (expected 0.."
                    + (classes - 1) + ")");
        }
        INDArray features = images.values().reshape(is[0], height * width).castTo(DataType.FLOAT);
        features.divi(255).subi(mean).divi(std);
        INDArray targets = labels.values().castTo(DataType.INT64);
        release(images.values());
        release(labels.values());
        return new ArrayDataset(features, targets, description);
    }

    private static void release(INDArray a) {
        if (a.closeable()) {
            a.close();
        }
    }
}

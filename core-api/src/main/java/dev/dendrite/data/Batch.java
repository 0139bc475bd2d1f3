package dev.dendrite.data;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One mini-batch: inputs and targets, first dim the batch.
 *
 * @param owned whether the arrays were made for this batch alone (a gather from the dataset), so that the loop may
 *     {@link #release()} them once the step is done with them
 */
public record Batch(INDArray features, INDArray labels, boolean owned) {
    public Batch(INDArray features, INDArray labels) {
        this(features, labels, false);
    }

    public long size() {
        return features.size(0);
    }

    /**
     * Frees the batch's native memory now, when it was made for this batch alone: ND4J otherwise frees off-heap
     * arrays only when the garbage collector collects their handles, and a training loop that makes little heap
     * garbage grows its resident memory by a batch per step until it does. Do not use the arrays afterwards.
     */
    public void release() {
        if (owned) {
            close(features);
            close(labels);
        }
    }

    private static void close(INDArray a) {
        if (a.closeable()) {
            a.close();
        }
    }
}

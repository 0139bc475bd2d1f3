package dev.dendrite.data;

import org.nd4j.linalg.api.ndarray.INDArray;

/** One mini-batch: inputs and targets, first dim the batch. */
public record Batch(INDArray features, INDArray labels) {
    public long size() {
        return features.size(0);
    }
}

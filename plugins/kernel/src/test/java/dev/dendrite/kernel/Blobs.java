package dev.dendrite.kernel;

import dev.dendrite.nn.Init;
import dev.dendrite.random.Rng;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Well-separated Gaussian blobs: k centres on a scale of 10, unit-σ·spread points around each. */
public final class Blobs {
    public final INDArray centres;
    public final INDArray points;
    public final INDArray labels;

    public Blobs(int k, int perCluster, int dims, double spread, long seed) {
        Rng rng = new Rng(seed);
        centres = Init.uniform(rng, DataType.DOUBLE, -10, 10, k, dims);
        INDArray noise = Init.normal(rng, DataType.DOUBLE, 0, spread, (long) k * perCluster, dims);
        int[] ids = new int[k * perCluster];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = i % k;
        }
        labels = Nd4j.createFromArray(ids).castTo(DataType.INT64);
        points = Nd4j.pullRows(centres, 1, ids).addi(noise);
    }
}

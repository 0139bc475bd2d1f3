package dev.dendrite.reference.training;

import dev.dendrite.data.ArrayDataset;
import dev.dendrite.nn.Init;
import dev.dendrite.random.Rng;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** A small synthetic classification problem: three Gaussian blobs in 6 dimensions. */
final class Blobs {
    private Blobs() {}

    static ArrayDataset make(int n, long seed) {
        Rng rng = new Rng(seed);
        INDArray x = Init.normal(rng, DataType.FLOAT, 0, 1, n, 6);
        long[] y = new long[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % 3;
            x.getRow(i).addi((double) y[i] * 1.5);
        }
        return new ArrayDataset(x, Nd4j.createFromArray(y), "blobs(" + n + ")");
    }

    static String spec(int epochs) {
        return """
                {"model": {"type": "sequential", "config": {"layers": [
                   {"type": "dense", "name": "fc1", "config": {"in": 6, "out": 16}},
                   {"type": "relu"},
                   {"type": "dropout", "config": {"p": 0.2}},
                   {"type": "dense", "name": "fc2", "config": {"in": 16, "out": 3}}]}},
                 "loss": {"type": "cross_entropy", "config": {"labelSmoothing": 0.05}},
                 "optimizer": {"type": "adam", "config": {"lr": 0.05}},
                 "schedule": {"type": "step", "config": {"stepSize": 1, "gamma": 0.7}},
                 "epochs": %d, "batchSize": 16, "seed": 5}""".formatted(epochs);
    }
}

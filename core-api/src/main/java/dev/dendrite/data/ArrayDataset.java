package dev.dendrite.data;

import dev.dendrite.tensor.DendriteException;
import dev.dendrite.tensor.Kernels;
import dev.dendrite.tensor.Shapes;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Examples held as two arrays in memory, batched by one native gather along the first dim. */
public final class ArrayDataset implements Dataset {
    private final INDArray features;
    private final INDArray labels;
    private final String description;

    public ArrayDataset(INDArray features, INDArray labels, String description) {
        if (features.rank() < 1 || labels.rank() < 1 || features.size(0) != labels.size(0)) {
            throw new DendriteException(description + ": features " + Shapes.str(features.shape()) + " and labels "
                    + Shapes.str(labels.shape()) + " must have the same first dim");
        }
        this.features = features;
        this.labels = labels;
        this.description = description;
    }

    @Override
    public long size() {
        return features.size(0);
    }

    @Override
    public Batch batch(long[] indices) {
        INDArray idx = Nd4j.createFromArray(indices);
        for (long i : indices) {
            if (i < 0 || i >= size()) {
                throw new DendriteException(description + ": example " + i + " does not exist (size " + size() + ")");
            }
        }
        Batch b = new Batch(rows(features, idx), rows(labels, idx), true);
        idx.close();
        return b;
    }

    private static INDArray rows(INDArray a, INDArray idx) {
        long[] shape = a.shape().clone();
        shape[0] = idx.length();
        INDArray out = Kernels.empty(a.dataType(), shape);
        if (out.length() > 0) {
            Kernels.exec("gather", out, new long[] {0}, a, idx);
        }
        return out;
    }

    public INDArray features() {
        return features;
    }

    public INDArray labels() {
        return labels;
    }

    @Override
    public String description() {
        return description;
    }
}

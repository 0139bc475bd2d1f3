package dev.dendrite.kernel;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.shape.OneHot;
import org.nd4j.linalg.factory.Nd4j;

/** Class ids as one-hot rows: the targets of least-squares classifiers and the memberships of k-means. */
public final class ClassTargets {
    private ClassTargets() {}

    /** [n, classes] of {@code type} from int ids [n] (callers check the range), by the native one_hot op. */
    public static INDArray oneHot(INDArray ids, int classes, DataType type) {
        return Nd4j.getExecutioner().exec(new OneHot(ids, classes, -1, 1.0, 0.0, type))[0]
                .reshape(ids.length(), classes);
    }
}

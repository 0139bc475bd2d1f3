package dev.dendrite.reference.generative;

import dev.dendrite.data.ArrayDataset;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The images the generative studies show: one test image per class. */
final class Pixels {
    private Pixels() {}

    /** The first test image of each class, in class order: one column per class in the comparison figures. */
    static INDArray onePerClass(ArrayDataset data, int classes) {
        long[] labels = data.labels().toLongVector();
        long[] rows = new long[classes];
        java.util.Arrays.fill(rows, -1);
        int found = 0;
        for (int i = 0; i < labels.length && found < classes; i++) {
            int c = (int) labels[i];
            if (c < classes && rows[c] < 0) {
                rows[c] = i;
                found++;
            }
        }
        if (found < classes) {
            throw new IllegalArgumentException("fewer than " + classes + " classes among " + labels.length
                    + " examples");
        }
        return data.features().getRows(java.util.Arrays.stream(rows).mapToInt(r -> (int) r).toArray());
    }
}

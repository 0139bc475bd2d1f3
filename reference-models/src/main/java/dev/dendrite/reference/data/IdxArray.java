package dev.dendrite.reference.data;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The content of one IDX file.
 *
 * @param name where it was read from, for messages
 * @param shape the dims declared by the header, first dim the examples
 * @param values the payload as a {@code UINT8} array of that shape, values 0–255 exactly as stored. UINT8
 *     rather than float because it is a quarter of the memory and the caller decides the scaling (images
 *     want x/255 and a normalisation, labels want int64); one native cast turns it into anything else.
 */
public record IdxArray(String name, long[] shape, INDArray values) {
    public IdxArray {
        shape = shape.clone();
    }

    /** A copy: the record never shares its shape array. */
    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** The number of examples, i.e. the first dim. */
    public long count() {
        return shape[0];
    }
}

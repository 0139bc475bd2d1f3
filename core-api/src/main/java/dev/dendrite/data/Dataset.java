package dev.dendrite.data;

/** Random-access examples, gathered into batches by index. */
public interface Dataset {
    long size();

    /** The examples at {@code indices}, in that order. */
    Batch batch(long[] indices);

    /** What the data is, for reports ("Fashion-MNIST train (60000, /usr/share/...)"). */
    String description();
}

package dev.dendrite.data;

/** A view of some examples of a dataset, by index: how a validation split is held out of training. */
public final class Subset implements Dataset {
    private final Dataset inner;
    private final long[] indices;
    private final String description;

    public Subset(Dataset inner, long[] indices, String description) {
        this.inner = inner;
        this.indices = indices.clone();
        this.description = description;
    }

    @Override
    public long size() {
        return indices.length;
    }

    @Override
    public Batch batch(long[] which) {
        long[] mapped = new long[which.length];
        for (int i = 0; i < which.length; i++) {
            mapped[i] = indices[Math.toIntExact(which[i])];
        }
        return inner.batch(mapped);
    }

    @Override
    public String description() {
        return description;
    }
}

package dev.dendrite.data;

import dev.dendrite.random.Rng;
import dev.dendrite.tensor.DendriteException;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Mini-batches of a dataset, one epoch per {@link #epoch()} call: shuffled with the run's random stream
 * (so a seed fixes the order), a final partial batch unless {@code dropLast}, and the next batch gathered
 * on a background thread while the current one trains.
 */
public final class DataLoader {
    private final Dataset dataset;
    private final int batchSize;
    private final boolean shuffle;
    private final boolean dropLast;
    private final Rng rng;

    public DataLoader(Dataset dataset, int batchSize, boolean shuffle, boolean dropLast, Rng rng) {
        if (batchSize <= 0) {
            throw new DendriteException("batch size must be positive, got " + batchSize);
        }
        if (shuffle && rng == null) {
            throw new DendriteException("a shuffling DataLoader needs a random stream");
        }
        this.dataset = dataset;
        this.batchSize = batchSize;
        this.shuffle = shuffle;
        this.dropLast = dropLast;
        this.rng = rng;
    }

    public Dataset dataset() {
        return dataset;
    }

    public int batchSize() {
        return batchSize;
    }

    /** Batches per epoch. */
    public long batches() {
        long n = dataset.size();
        return dropLast ? n / batchSize : (n + batchSize - 1) / batchSize;
    }

    /**
     * One pass over the data. The order is drawn now, on the caller's thread, so the random stream is
     * consumed at the same point of every run; close the epoch (try-with-resources) to stop prefetching.
     */
    public Epoch epoch() {
        return new Epoch(order());
    }

    private long[] order() {
        long[] idx = new long[Math.toIntExact(dataset.size())];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        if (shuffle) {
            shuffle(idx, rng);
        }
        return idx;
    }

    /** Fisher–Yates with the framework's stream. */
    static void shuffle(long[] idx, Rng rng) {
        for (int i = idx.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            long t = idx[i];
            idx[i] = idx[j];
            idx[j] = t;
        }
    }

    /** An iterator over one epoch's batches, with one batch prefetched ahead. */
    public final class Epoch implements Iterator<Batch>, AutoCloseable {
        private final long[] order;
        private final long count = batches();
        private final ExecutorService prefetcher = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "dendrite-prefetch");
            t.setDaemon(true);
            return t;
        });
        private long next;
        private CompletableFuture<Batch> pending;

        private Epoch(long[] order) {
            this.order = order;
            schedule();
        }

        private void schedule() {
            if (next >= count) {
                pending = null;
                prefetcher.shutdown();
                return;
            }
            int from = Math.toIntExact(next * batchSize);
            int to = (int) Math.min(order.length, (long) from + batchSize);
            long[] idx = java.util.Arrays.copyOfRange(order, from, to);
            pending = CompletableFuture.supplyAsync(() -> dataset.batch(idx), prefetcher);
            next++;
        }

        @Override
        public boolean hasNext() {
            return pending != null;
        }

        @Override
        public Batch next() {
            if (pending == null) {
                throw new NoSuchElementException();
            }
            Batch b;
            try {
                b = pending.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DendriteException("interrupted while loading a batch", e);
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                throw cause instanceof RuntimeException re ? re
                        : new DendriteException("loading a batch failed: " + cause, cause);
            }
            schedule();
            return b;
        }

        @Override
        public void close() {
            prefetcher.shutdownNow();
        }
    }
}

package dev.dendrite.reference.sequence;

import dev.dendrite.random.Rng;
import java.util.ArrayList;
import java.util.List;

/**
 * Bucketing by length: batches hold sequences of one source length, so neither encoder nor decoder needs padding
 * or masks, and every epoch visits every training sequence once in a fresh random order.
 */
final class Buckets {
    private Buckets() {}

    /** The examples grouped by source length, shortest first (empty lengths omitted). */
    static List<List<DigitReversal.Example>> byLength(List<DigitReversal.Example> examples) {
        List<List<DigitReversal.Example>> buckets = new ArrayList<>();
        for (int len = DigitReversal.MIN_LENGTH; len <= DigitReversal.MAX_LENGTH; len++) {
            int l = len;
            List<DigitReversal.Example> b = examples.stream().filter(e -> e.length() == l).toList();
            if (!b.isEmpty()) {
                buckets.add(b);
            }
        }
        return buckets;
    }

    /** Each bucket shuffled and cut into batches of at most {@code size}; then the batches shuffled. */
    static List<List<DigitReversal.Example>> batches(List<List<DigitReversal.Example>> buckets, int size, Rng rng) {
        List<List<DigitReversal.Example>> batches = new ArrayList<>();
        for (List<DigitReversal.Example> bucket : buckets) {
            List<DigitReversal.Example> shuffled = new ArrayList<>(bucket);
            shuffle(shuffled, rng);
            for (int from = 0; from < shuffled.size(); from += size) {
                batches.add(shuffled.subList(from, Math.min(shuffled.size(), from + size)));
            }
        }
        shuffle(batches, rng);
        return batches;
    }

    /** Fisher–Yates with the run's stream (java.util.Collections.shuffle would need a java.util.Random). */
    static <T> void shuffle(List<T> list, Rng rng) {
        for (int i = list.size() - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            T t = list.get(i);
            list.set(i, list.get(j));
            list.set(j, t);
        }
    }
}

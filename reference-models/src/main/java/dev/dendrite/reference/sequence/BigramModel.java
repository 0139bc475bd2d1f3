package dev.dendrite.reference.sequence;

import java.util.Arrays;

/**
 * The character-bigram baseline with additive (Lidstone) smoothing:
 * p(b | a) = (count(a b) + α) / (count(a) + α·V), counts from a training text, V the vocabulary size.
 * Every character thus keeps a non-zero probability, the unseen ones included.
 */
public final class BigramModel {
    /** The α values tried by {@link #chooseAlpha}, a log grid wide enough for texts from kilobytes to megabytes. */
    static final double[] ALPHAS = {0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3};
    private final int vocabulary;
    private final double alpha;
    private final long[][] pairs;
    private final long[] contexts;

    private BigramModel(int vocabulary, double alpha, long[][] pairs, long[] contexts) {
        this.vocabulary = vocabulary;
        this.alpha = alpha;
        this.pairs = pairs;
        this.contexts = contexts;
    }

    /** Counts the pairs (ids[i−1], ids[i]) of {@code ids}. */
    public static BigramModel fit(int[] ids, int vocabulary, double alpha) {
        if (!(alpha > 0)) {
            throw new IllegalArgumentException("bigram: the smoothing α must be positive, got " + alpha);
        }
        long[][] pairs = new long[vocabulary][vocabulary];
        long[] contexts = new long[vocabulary];
        for (int i = 1; i < ids.length; i++) {
            pairs[ids[i - 1]][ids[i]]++;
            contexts[ids[i - 1]]++;
        }
        return new BigramModel(vocabulary, alpha, pairs, contexts);
    }

    /**
     * α chosen on the training text alone: counts from its first {@code 1 − validation} part, the bits per
     * character of its last {@code validation} part for each α of {@link #ALPHAS}; the best α wins (the held-out
     * text is never looked at).
     */
    public static double chooseAlpha(int[] train, int vocabulary, double validation) {
        int cut = (int) Math.floor((1 - validation) * train.length);
        double best = Double.NaN;
        double bestBits = Double.POSITIVE_INFINITY;
        for (double a : ALPHAS) {
            double bits = fit(Arrays.copyOfRange(train, 0, cut), vocabulary, a).bitsPerCharacter(train, cut,
                    train.length);
            if (bits < bestBits) {
                bestBits = bits;
                best = a;
            }
        }
        return best;
    }

    public double alpha() {
        return alpha;
    }

    public double probability(int previous, int next) {
        return (pairs[previous][next] + alpha) / (contexts[previous] + alpha * vocabulary);
    }

    /**
     * −(1/n) Σ log2 p(ids[t] | ids[t−1]) over t in [from, to), n = to − from: each character predicted from the one
     * before it, which for t = from lies outside the range (so from ≥ 1).
     */
    public double bitsPerCharacter(int[] ids, int from, int to) {
        if (from < 1 || to > ids.length || to <= from) {
            throw new IllegalArgumentException("bigram: need 1 <= from < to <= " + ids.length + ", got [" + from + ", "
                    + to + ")");
        }
        double bits = 0;
        for (int t = from; t < to; t++) {
            bits -= Math.log(probability(ids[t - 1], ids[t]));
        }
        return bits / Math.log(2) / (to - from);
    }
}

package dev.dendrite.reference.sequence;

import dev.dendrite.random.Rng;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The synthetic task of the seq2seq study: a source of {@link #MIN_LENGTH}..{@link #MAX_LENGTH} random digits, the
 * target the same digits reversed, then {@link #EOS}. Both splits are drawn from one seed; the held-out sequences
 * are drawn first and training draws that repeat one of them are rejected, so no held-out source is ever trained on.
 */
public final class DigitReversal {
    public static final int MIN_LENGTH = 5;
    public static final int MAX_LENGTH = 10;
    /** Output classes: the digits 0–9, then end-of-sequence. */
    public static final int EOS = 10;
    public static final int OUTPUT_CLASSES = 11;

    /** A source sequence of digits. */
    public record Example(int[] source) {
        /** The reversed digits followed by {@link #EOS}: what the decoder must emit. */
        public int[] target() {
            int n = source.length;
            int[] t = new int[n + 1];
            for (int i = 0; i < n; i++) {
                t[i] = source[n - 1 - i];
            }
            t[n] = EOS;
            return t;
        }

        public int length() {
            return source.length;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Example e && Arrays.equals(source, e.source);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(source);
        }

        @Override
        public String toString() {
            StringBuilder s = new StringBuilder();
            for (int d : source) {
                s.append(d);
            }
            return s.toString();
        }
    }

    public record Splits(List<Example> train, List<Example> heldOut) {}

    private DigitReversal() {}

    /** Lengths uniform in [MIN_LENGTH, MAX_LENGTH], digits uniform; deterministic in {@code seed}. */
    public static Splits generate(long seed, int trainSize, int heldOutSize) {
        Rng rng = new Rng(seed);
        Set<Example> held = new HashSet<>();
        List<Example> heldOut = new ArrayList<>(heldOutSize);
        while (heldOut.size() < heldOutSize) {
            Example e = draw(rng);
            // Distinct held-out sequences, so each counts once in the accuracy.
            if (held.add(e)) {
                heldOut.add(e);
            }
        }
        List<Example> train = new ArrayList<>(trainSize);
        while (train.size() < trainSize) {
            Example e = draw(rng);
            if (!held.contains(e)) {
                train.add(e);
            }
        }
        return new Splits(List.copyOf(train), List.copyOf(heldOut));
    }

    private static Example draw(Rng rng) {
        int[] digits = new int[MIN_LENGTH + rng.nextInt(MAX_LENGTH - MIN_LENGTH + 1)];
        for (int i = 0; i < digits.length; i++) {
            digits[i] = rng.nextInt(10);
        }
        return new Example(digits);
    }
}

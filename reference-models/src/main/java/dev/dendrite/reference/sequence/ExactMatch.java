package dev.dendrite.reference.sequence;

import java.util.Arrays;
import java.util.List;

/**
 * Held-out scores of decoded sequences against targets (both ending in {@link DigitReversal#EOS}): exact match (the
 * whole output, EOS included, equals the target), token accuracy (target positions whose output token agrees; a
 * position past the output's end counts as wrong), and exact match per source length.
 */
public record ExactMatch(int sequences, int exact, long tokens, long correctTokens, int[] perLengthTotal,
        int[] perLengthExact) {

    /** @param outputs what the decoder emitted, each cut after its first EOS (or at the step limit) */
    public static ExactMatch score(List<int[]> targets, List<int[]> outputs) {
        if (targets.size() != outputs.size()) {
            throw new IllegalArgumentException("exact match: " + targets.size() + " targets but " + outputs.size()
                    + " outputs");
        }
        int exact = 0;
        long tokens = 0;
        long correct = 0;
        int[] total = new int[DigitReversal.MAX_LENGTH + 2];
        int[] exactByLength = new int[DigitReversal.MAX_LENGTH + 2];
        for (int i = 0; i < targets.size(); i++) {
            int[] t = targets.get(i);
            int[] o = outputs.get(i);
            boolean same = Arrays.equals(t, o);
            int sourceLength = Math.min(t.length - 1, DigitReversal.MAX_LENGTH + 1);
            total[sourceLength]++;
            if (same) {
                exact++;
                exactByLength[sourceLength]++;
            }
            tokens += t.length;
            for (int k = 0; k < Math.min(t.length, o.length); k++) {
                if (t[k] == o[k]) {
                    correct++;
                }
            }
        }
        return new ExactMatch(targets.size(), exact, tokens, correct, total, exactByLength);
    }

    public double accuracy() {
        return sequences == 0 ? Double.NaN : (double) exact / sequences;
    }

    public double tokenAccuracy() {
        return tokens == 0 ? Double.NaN : (double) correctTokens / tokens;
    }

    /** Exact match among sources of {@code length} digits, NaN when there are none. */
    public double accuracy(int length) {
        return perLengthTotal[length] == 0 ? Double.NaN : (double) perLengthExact[length] / perLengthTotal[length];
    }

    public int count(int length) {
        return perLengthTotal[length];
    }
}

package dev.dendrite.reference.sequence;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Greedy decoding of a batch: at each step every unfinished sequence takes its arg-max token, which is fed back
 * as the next input; a sequence stops after it emits EOS, and the batch stops when all have or after
 * {@code maxSteps} (a sequence without EOS by then is returned as it stands, and scores as wrong).
 */
public final class GreedyDecoder {
    /** One decoder step for the whole batch: the previous tokens in, the scores over the output classes out. */
    @FunctionalInterface
    public interface Step {
        /** @return scores [batch][classes] */
        float[][] next(int[] previous);
    }

    private GreedyDecoder() {}

    /** @param start the first input token of every sequence (the decoder's GO symbol) */
    public static List<int[]> decode(Step step, int batch, int start, int eos, int maxSteps) {
        int[][] out = new int[batch][maxSteps];
        int[] lengths = new int[batch];
        boolean[] done = new boolean[batch];
        int[] previous = new int[batch];
        Arrays.fill(previous, start);
        int finished = 0;
        for (int s = 0; s < maxSteps && finished < batch; s++) {
            float[][] scores = step.next(previous);
            for (int b = 0; b < batch; b++) {
                int token = argMax(scores[b]);
                previous[b] = token;
                if (!done[b]) {
                    out[b][lengths[b]++] = token;
                    if (token == eos) {
                        done[b] = true;
                        finished++;
                    }
                }
            }
        }
        List<int[]> result = new ArrayList<>(batch);
        for (int b = 0; b < batch; b++) {
            result.add(Arrays.copyOf(out[b], lengths[b]));
        }
        return result;
    }

    static int argMax(float[] row) {
        int best = 0;
        for (int i = 1; i < row.length; i++) {
            if (row[i] > row[best]) {
                best = i;
            }
        }
        return best;
    }
}

package dev.dendrite.data;

import dev.dendrite.random.Rng;
import dev.dendrite.tensor.DendriteException;
import java.util.Arrays;

/** Random, seeded train/validation splits. */
public final class Splits {
    private Splits() {}

    /**
     * {@code [train, validation]}, the validation part a {@code fraction} of the examples chosen by a
     * permutation drawn from {@code seed} (its own stream: the split does not move the training stream).
     */
    public static Dataset[] holdOut(Dataset data, double fraction, long seed) {
        if (!(fraction > 0 && fraction < 1)) {
            throw new DendriteException("validation split must be in (0, 1), got " + fraction);
        }
        int n = Math.toIntExact(data.size());
        int k = (int) Math.round(n * fraction);
        if (k == 0 || k == n) {
            throw new DendriteException("a validation split of " + fraction + " leaves no examples on one side of "
                    + n);
        }
        long[] order = new long[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        DataLoader.shuffle(order, new Rng(seed));
        long[] val = Arrays.copyOfRange(order, 0, k);
        long[] train = Arrays.copyOfRange(order, k, n);
        Arrays.sort(val);
        Arrays.sort(train);
        return new Dataset[] {
            new Subset(data, train, data.description() + ", minus " + k + " held out"),
            new Subset(data, val, k + " validation examples held out of " + data.description())
        };
    }
}

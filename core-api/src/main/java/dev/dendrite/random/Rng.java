package dev.dendrite.random;

/**
 * The framework's seeded random stream (SplitMix64). Its whole state is one long, which is why it is
 * ours and not {@link java.util.SplittableRandom}: a checkpoint saves it and resume continues the exact
 * stream. Native generators (init, dropout masks) are seeded from it.
 */
public final class Rng {
    private long state;
    /** Numbers drawn so far (not part of the state): a compiled step checks that only random ops draw. */
    private long draws;

    public Rng(long seed) {
        this.state = seed;
    }

    public long nextLong() {
        draws++;
        long z = (state += 0x9E3779B97F4A7C15L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Uniform in [0, 1). */
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** Uniform in [0, bound). */
    public int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be positive, got " + bound);
        }
        return (int) Math.floorMod(nextLong(), (long) bound);
    }

    /** How many numbers this stream has handed out (in this process; not saved). */
    public long draws() {
        return draws;
    }

    public long state() {
        return state;
    }

    public void restore(long savedState) {
        this.state = savedState;
    }
}

package dev.dendrite.tensor;

import org.nd4j.linalg.factory.Nd4j;

/**
 * How many threads libnd4j's own loops use for the next native call of a compiled step. An elementwise op or
 * reduction on a few thousand elements finishes before a sleeping OpenMP thread wakes (with
 * {@code OMP_WAIT_POLICY=PASSIVE}, as the harness runs every engine), so it runs on one; GEMMs and convolutions
 * (BLAS and oneDNN threads, which this does not touch) and large elementwise ops keep all of them. Set only when
 * it changes, and back to all after every replay, so eager code is never affected.
 */
final class Threads {
    /** Output elements below which a native call runs on one thread. */
    static final long SMALL = 1 << 15;
    /** {@code -Ddendrite.threads.policy=off} keeps every call on all threads (to measure what the policy buys). */
    static final boolean ON = !"off".equals(System.getProperty("dendrite.threads.policy"));
    private static final ThreadLocal<int[]> CURRENT = ThreadLocal.withInitial(() -> new int[] {-1});

    private Threads() {}

    /** Whether a call with these outputs runs on one thread. */
    static boolean serial(String op, org.nd4j.linalg.api.ndarray.INDArray[] outputs) {
        if (!ON) {
            return false;
        }
        long largest = 0;
        for (org.nd4j.linalg.api.ndarray.INDArray o : outputs) {
            largest = Math.max(largest, o.length());
        }
        return largest < SMALL;
    }

    static void use(boolean one) {
        int want = one ? 1 : all();
        int[] current = CURRENT.get();
        if (current[0] != want) {
            Nd4j.getEnvironment().setMaxMasterThreads(want);
            current[0] = want;
        }
    }

    /** Back to every thread after a replay. */
    static void reset() {
        use(false);
    }

    private static int all() {
        return Nd4j.getEnvironment().maxThreads();
    }
}

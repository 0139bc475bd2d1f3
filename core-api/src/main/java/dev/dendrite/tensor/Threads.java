package dev.dendrite.tensor;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * How many threads the next native call of a compiled step uses. An elementwise op or reduction on a few
 * thousand elements finishes before a sleeping OpenMP thread wakes (with {@code OMP_WAIT_POLICY=PASSIVE}, as
 * the harness runs every engine), so it runs on one; large ones keep all of them. Both libnd4j's own loops
 * (its master-thread limit) and OpenMP's team size for the calling thread are set, the second because
 * oneDNN's convolutions and pooling take their threads from OpenMP: without it LeNet-5 at batch 1 ran 2.5×
 * slower on two threads than on one. BLAS threads (OpenBLAS's own pool) are not touched. Set only when it
 * changes, and back to all after every replay, so eager code is never affected.
 */
final class Threads {
    /**
     * Output elements below which a call runs on one thread. Judging by outputs alone measured better than by
     * the largest input too (LeNet-5 inference at batch 1 on 2 threads: 6,900 against 4,500 samples/s), and
     * 32k better than 8k or 128k on the harness rows; a reduction of a large array to a small one stays serial.
     */
    static final long SMALL = 1 << 15;
    /** {@code -Ddendrite.threads.policy=off} keeps every call on all threads (to measure what the policy buys). */
    static final boolean ON = !"off".equals(System.getProperty("dendrite.threads.policy"));
    /** {@code omp_set_num_threads} through the CPU backend's NativeOps, or null on another backend. */
    private static final MethodHandle OMP_THREADS = ompThreads();
    private static final ThreadLocal<int[]> CURRENT = ThreadLocal.withInitial(() -> new int[] {-1});

    private Threads() {}

    /** Whether a call with these outputs runs on one thread. */
    static boolean serial(INDArray[] outputs) {
        if (!ON) {
            return false;
        }
        long largest = 0;
        for (INDArray o : outputs) {
            largest = Math.max(largest, o.length());
        }
        return largest < SMALL;
    }

    static void use(boolean one) {
        int want = one ? 1 : all();
        int[] current = CURRENT.get();
        if (current[0] != want) {
            Nd4j.getEnvironment().setMaxMasterThreads(want);
            if (OMP_THREADS != null) {
                try {
                    OMP_THREADS.invokeExact(want);
                } catch (Throwable t) {
                    throw new IllegalStateException("omp_set_num_threads(" + want + ") failed", t);
                }
            }
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

    /**
     * core-api compiles against nd4j-api alone (the backend is a profile's runtime dependency), so the CPU
     * backend's {@code NativeOps.setOmpNumThreads} is looked up by name; CUDA's means a grid size, not threads.
     */
    private static MethodHandle ompThreads() {
        if (!ON || !Nd4j.getEnvironment().isCPU()) {
            return null;
        }
        try {
            Class<?> holder = Class.forName("org.nd4j.nativeblas.NativeOpsHolder");
            Object ops = holder.getMethod("getDeviceNativeOps").invoke(holder.getMethod("getInstance").invoke(null));
            return MethodHandles.publicLookup()
                    .findVirtual(Class.forName("org.nd4j.nativeblas.NativeOps"), "setOmpNumThreads",
                            MethodType.methodType(void.class, int.class))
                    .bindTo(ops);
        } catch (ReflectiveOperationException e) {
            return null;
        }
    }
}

package dev.dendrite.tensor;

import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Moving float32 arrays between native memory and the Java heap for {@link Kernels#host} kernels: one bulk copy
 * each way. Only on the CPU backend, where an array's memory is host memory ({@link #usable}).
 */
public final class HostArrays {
    /** Slots of {@link #scratch} per thread. */
    public static final int SLOTS = 8;
    /**
     * Per thread, heap arrays reused from call to call: a layer's arrays are megabytes, which G1 allocates as
     * humongous objects, and allocating them per call made a depthwise convolution 3–5× slower.
     */
    private static final ThreadLocal<float[][]> SCRATCH = ThreadLocal.withInitial(() -> new float[SLOTS][0]);

    private HostArrays() {}

    /**
     * This thread's scratch array {@code slot} (0 to {@link #SLOTS} − 1), at least {@code length} long, holding
     * whatever the last user left. A kernel owns the slots only while it runs (kernels do not nest).
     */
    public static float[] scratch(int slot, int length) {
        float[][] s = SCRATCH.get();
        if (s[slot].length < length) {
            s[slot] = new float[length];
        }
        return s[slot];
    }

    /** {@code a}'s values, row-major, in this thread's scratch array {@code slot} (which may be longer). */
    public static float[] read(INDArray a, int slot) {
        INDArray c = Shapes.rowMajor(a) ? a : a.dup('c');
        int n = (int) c.length();
        float[] out = scratch(slot, n);
        new FloatPointer(c.data().addressPointer()).get(out, 0, n);
        return out;
    }

    /** Whether Java kernels can take these arrays: float32 on the CPU backend, each addressable by an int. */
    public static boolean usable(DataType type, long... lengths) {
        if (type != DataType.FLOAT || !Nd4j.getEnvironment().isCPU()) {
            return false;
        }
        for (long n : lengths) {
            if (n >= Integer.MAX_VALUE / 2) {
                return false;
            }
        }
        return true;
    }

    /** The first length(out) values into {@code out}'s memory, which must be row-major (every new array is). */
    public static void write(float[] values, INDArray out) {
        if (!Shapes.rowMajor(out)) {
            throw new IllegalStateException("a host kernel's output must be row-major, got " + out.shapeInfoToString());
        }
        new FloatPointer(out.data().addressPointer()).put(values, 0, (int) out.length());
    }
}

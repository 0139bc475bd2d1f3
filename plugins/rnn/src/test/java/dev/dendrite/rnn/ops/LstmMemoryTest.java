package dev.dendrite.rnn.ops;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dendrite.ops.F;
import dev.dendrite.tensor.Tensor;
import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Resident memory stays flat over repeated LSTM forward + backward passes. ND4J frees native buffers only when
 * their Java arrays are collected, so the loop collects every few passes; memory that survives that is a leak.
 * libnd4j 1.0.0-M2.1's {@code lstmLayer_bp} leaked its internal sequence state on every call (~3 MB per call at
 * this size: ~90 MB over the measured passes; under 6 MB with LstmSegments' own backward), which is why {@link LstmSegments} has its own backward.
 */
class LstmMemoryTest {
    static final long T = 50;
    static final long N = 16;
    static final long I = 32;
    static final long H = 128;
    static final int WARM_UP = 15;
    static final int PASSES = 30;
    /** Well under the ~90 MB the leak added, well over allocator noise (a few MB). */
    static final long BOUND = 40L << 20;

    @Test
    void repeatedBackwardDoesNotGrowResidentMemory() {
        Nd4j.getRandom().setSeed(7);
        INDArray x = Nd4j.randn(DataType.FLOAT, T, N, I);
        INDArray w = Nd4j.randn(DataType.FLOAT, 1, 4 * H, I).muli(0.1);
        INDArray r = Nd4j.randn(DataType.FLOAT, 1, 4 * H, H).muli(0.1);
        INDArray b = Nd4j.randn(DataType.FLOAT, 1, 8 * H).muli(0.1);
        Runnable pass = () -> {
            Tensor[] in = {Tensor.leaf(x), Tensor.leaf(w), Tensor.leaf(r), Tensor.leaf(b)};
            Tensor[] out = new LstmOp(Direction.FORWARD, H, false, false).apply(in);
            F.sum(out[0], false).backward();
        };
        // Two windows, the smaller counts: a leak grows resident memory in both, while a one-off jump (heap or
        // allocator growth left by earlier tests in this JVM, measured 41 MB once in the full suite) lands in one.
        long growth = Math.min(residentGrowth(pass, WARM_UP, PASSES), residentGrowth(pass, 0, PASSES));
        System.out.printf("lstm: resident memory grew %.1f MB over %d forward+backward passes%n",
                growth / 1048576.0, PASSES);
        assertTrue(growth < BOUND, "resident memory grew " + (growth >> 20) + " MB over " + PASSES + " passes");
    }

    /** Bytes of resident memory gained over {@code passes} runs after {@code warmUp} runs, collecting as it goes. */
    static long residentGrowth(Runnable pass, int warmUp, int passes) {
        for (int i = 0; i < warmUp; i++) {
            pass.run();
            collectEvery(i, 5);
        }
        collect();
        long before = Pointer.physicalBytes();
        for (int i = 0; i < passes; i++) {
            pass.run();
            collectEvery(i, 5);
        }
        collect();
        return Pointer.physicalBytes() - before;
    }

    private static void collectEvery(int i, int every) {
        if (i % every == every - 1) {
            collect();
        }
    }

    private static void collect() {
        System.gc();
        try {
            Thread.sleep(50); // ND4J's deallocator thread frees the native buffers of collected arrays
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        System.gc();
    }
}

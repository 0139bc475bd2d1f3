package dev.dendrite.bench;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * Speed of imported ONNX image classifiers (torchvision's, exported by {@code benchmarks/torchvision_speed.py}
 * with a dynamic batch axis), outside the harness: milliseconds per compiled training step at batch 16 and per
 * compiled no-grad forward at batch 16 and 1 ({@link ImportedSteps}), median of repeated runs after warm-up.
 * {@code torchvision_speed.py} prints PyTorch's figures for the same models and shapes; run both in the same
 * minutes (this machine's speed drifts), or use the harness's torchvision rows, which interleave the engines.
 *
 * <pre>OMP_NUM_THREADS=1 java -cp ... dev.dendrite.bench.ImportedModelSpeed DIR/mobilenet_v2.onnx ...</pre>
 */
public final class ImportedModelSpeed {
    private ImportedModelSpeed() {}

    public static void main(String[] args) {
        for (String file : args) {
            Path onnx = Path.of(file);
            double train = median(ImportedSteps.train(onnx, 16, true), 10);
            double infer16 = median(ImportedSteps.infer(onnx, 16, true), 10);
            double infer1 = median(ImportedSteps.infer(onnx, 1, true), 30);
            System.out.printf(Locale.ROOT, "%s: dendrite train b16 %.1f ms/step, infer b16 %.1f ms, infer b1 %.2f ms%n",
                    onnx.getFileName().toString().replace(".onnx", ""), train, infer16, infer1);
        }
    }

    /** Median milliseconds of {@code reps} runs after 3 warm-up runs (the compiled step captures in those). */
    private static double median(Runnable r, int reps) {
        for (int i = 0; i < 3; i++) {
            r.run();
        }
        double[] ms = new double[reps];
        for (int i = 0; i < reps; i++) {
            long t = System.nanoTime();
            r.run();
            ms[i] = (System.nanoTime() - t) / 1e6;
        }
        Arrays.sort(ms);
        return ms[reps / 2];
    }
}

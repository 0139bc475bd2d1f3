package dev.dendrite.bench;

import com.google.inject.Guice;
import com.google.inject.Injector;
import dev.dendrite.inject.DendriteModule;
import dev.dendrite.inject.Registries;
import dev.dendrite.inject.Settings;
import dev.dendrite.nn.ComponentSpec;
import dev.dendrite.onnxbridge.ImportedModel;
import dev.dendrite.onnxbridge.OnnxImporter;
import dev.dendrite.random.Rng;
import dev.dendrite.spi.Json;
import dev.dendrite.tensor.CompiledStep;
import dev.dendrite.tensor.GradMode;
import dev.dendrite.tensor.Tensor;
import dev.dendrite.train.Components;
import dev.dendrite.train.TrainStep;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Speed of imported ONNX image classifiers (torchvision's, exported by {@code benchmarks/torchvision_speed.py}
 * with a dynamic batch axis): milliseconds per compiled SGD-momentum training step at batch 16 (cross-entropy on
 * 10 classes), and per compiled no-grad forward at batch 16 and 1, median of repeated runs after warm-up, on
 * random 3×64×64 inputs. {@code torchvision_speed.py} prints PyTorch's figures for the same models and shapes;
 * run both in the same minutes (this machine's speed drifts).
 *
 * <pre>OMP_NUM_THREADS=1 java -cp ... dev.dendrite.bench.ImportedModelSpeed DIR/mobilenet_v2.onnx ...</pre>
 */
public final class ImportedModelSpeed {
    private ImportedModelSpeed() {}

    public static void main(String[] args) {
        for (String file : args) {
            System.out.println(measure(Path.of(file)));
        }
    }

    static String measure(Path file) {
        Injector injector = Guice.createInjector(new DendriteModule(Settings.defaults().withSeed(1)));
        Registries registries = injector.getInstance(Registries.class);
        ImportedModel model = new OnnxImporter().load(file);
        model.train(true);
        TrainStep step = new TrainStep(model,
                Components.loss(registries, Json.read("{\"type\": \"cross_entropy\"}", ComponentSpec.class)),
                Components.optimizer(registries, Json.read(
                        "{\"type\": \"sgd\", \"config\": {\"lr\": 0.01, \"momentum\": 0.9}}", ComponentSpec.class),
                        model.parameters()),
                new Rng(1), true);
        Nd4j.getRandom().setSeed(1);
        INDArray x = Nd4j.randn(DataType.FLOAT, 16, 3, 64, 64);
        INDArray y = Nd4j.rand(DataType.FLOAT, 16).muli(10).castTo(DataType.LONG);
        double train = median(() -> step.run(x, y), 10);
        model.train(false);
        CompiledStep forward = new CompiledStep("inference", in -> new Tensor[] {model.forward(in[0])}, new Rng(0),
                true, model::buffers);
        INDArray x1 = x.get(NDArrayIndex.interval(0, 1)).dup();
        double infer16 = median(() -> infer(forward, x), 10);
        double infer1 = median(() -> infer(forward, x1), 30);
        return String.format(Locale.ROOT, "%s: dendrite train b16 %.1f ms/step, infer b16 %.1f ms, infer b1 %.2f ms",
                file.getFileName().toString().replace(".onnx", ""), train, infer16, infer1);
    }

    private static void infer(CompiledStep forward, INDArray x) {
        try (var off = GradMode.off()) {
            forward.forward(Boolean.FALSE, false, x);
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

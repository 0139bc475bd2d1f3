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
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One iteration on an imported ONNX image classifier (a torchvision export with a dynamic batch axis, 10 classes),
 * as a run would do it: a training step (SGD lr 0.01 momentum 0.9, cross-entropy, the loss read back) or a
 * no-grad forward in eval mode, compiled unless asked for eager, on random float32 [batch, 3, 64, 64] inputs from
 * a fixed seed: the harness's torchvision rows.
 */
public final class ImportedSteps {
    /** Images of the torchvision rows: 3×64×64. */
    public static final long[] IMAGE = {3, 64, 64};

    private ImportedSteps() {}

    public static Runnable train(Path onnx, int batch, boolean compiled) {
        Injector injector = Guice.createInjector(new DendriteModule(Settings.defaults().withSeed(1)));
        Registries registries = injector.getInstance(Registries.class);
        ImportedModel model = new OnnxImporter().load(onnx);
        model.train(true);
        TrainStep step = new TrainStep(model,
                Components.loss(registries, Json.read("{\"type\": \"cross_entropy\"}", ComponentSpec.class)),
                Components.optimizer(registries, Json.read(
                        "{\"type\": \"sgd\", \"config\": {\"lr\": 0.01, \"momentum\": 0.9}}", ComponentSpec.class),
                        model.parameters()),
                new Rng(1), compiled);
        INDArray x = images(batch);
        INDArray y = Nd4j.rand(DataType.FLOAT, batch).muli(10).castTo(DataType.LONG);
        return () -> step.run(x, y);
    }

    public static Runnable infer(Path onnx, int batch, boolean compiled) {
        ImportedModel model = new OnnxImporter().load(onnx);
        model.train(false);
        CompiledStep forward = new CompiledStep("inference", in -> new Tensor[] {model.forward(in[0])}, new Rng(0),
                compiled, model::buffers);
        INDArray x = images(batch);
        return () -> {
            try (var off = GradMode.off()) {
                forward.forward(Boolean.FALSE, false, x);
            }
        };
    }

    /** Random N(0, 1) images [batch, 3, 64, 64] from a fixed seed. */
    public static INDArray images(int batch) {
        Nd4j.getRandom().setSeed(1);
        return Nd4j.randn(DataType.FLOAT, batch, IMAGE[0], IMAGE[1], IMAGE[2]);
    }
}

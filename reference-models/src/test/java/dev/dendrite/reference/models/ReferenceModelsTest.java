package dev.dendrite.reference.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.inject.Guice;
import com.google.inject.Injector;
import dev.dendrite.inject.DendriteModule;
import dev.dendrite.inject.Registries;
import dev.dendrite.inject.Settings;
import dev.dendrite.loss.Loss;
import dev.dendrite.nn.Init;
import dev.dendrite.nn.Layer;
import dev.dendrite.nn.LayerContext;
import dev.dendrite.nn.Parameters;
import dev.dendrite.onnxbridge.OnnxExporter;
import dev.dendrite.onnxbridge.OrtRunner;
import dev.dendrite.onnxbridge.Validation;
import dev.dendrite.onnxbridge.proto.ModelProto;
import dev.dendrite.optim.Optimizer;
import dev.dendrite.random.Rng;
import dev.dendrite.reference.run.OnnxExport;
import dev.dendrite.tensor.GradMode;
import dev.dendrite.tensor.Tensor;
import dev.dendrite.testkit.Compare;
import dev.dendrite.train.Components;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The reference models are the papers' architectures: their parameter counts and shapes say so. */
class ReferenceModelsTest {
    private static final int STEPS = 10;
    private static final int BATCH = 8;

    private static Layer build(ReferenceModel m) {
        return Guice.createInjector(new DendriteModule(Settings.defaults())).getInstance(LayerContext.class)
                .build(m.spec().model());
    }

    @Test
    void leNet5HasLeCunsLayersAndParameterCount() {
        Layer lenet = build(new LeNet5());
        // conv1 6·25+6, conv2 16·6·25+16, fc 400·120+120, 120·84+84, 84·10+10
        assertEquals(156 + 2416 + 48120 + 10164 + 850, Parameters.count(lenet));
        assertEquals(List.of("conv1.weight", "conv1.bias", "conv2.weight", "conv2.bias", "fc1.weight", "fc1.bias",
                "fc2.weight", "fc2.bias", "fc3.weight", "fc3.bias"), List.copyOf(lenet.parameters().keySet()));
        assertArrayEquals(new long[] {6, 1, 5, 5}, lenet.parameters().get("conv1.weight").shape());
    }

    @Test
    void theBenchmarkMlpIs784x256x128x100x10() {
        assertEquals(200960 + 32896 + 12900 + 1010, Parameters.count(build(new Mlp())));
    }

    /**
     * Each model with its own spec's loss and optimizer, on one fixed batch of 8 images with arbitrary labels:
     * the first backward gives every parameter a finite, nonzero gradient of its shape, and a few optimizer
     * steps lower the loss on that batch (measured in evaluation mode, so dropout does not blur it).
     */
    @Test
    void everyReferenceModelMapsFlatImagesToTenLogitsAndTrains() {
        Tensor x = Tensor.of(Init.uniform(new Rng(11), DataType.FLOAT, 0, 1, BATCH, 784));
        long[] ids = new long[BATCH];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = (i * 7) % 10;
        }
        Tensor labels = Tensor.of(Nd4j.createFromArray(ids));
        for (ReferenceModel m : ReferenceModels.all()) {
            Injector injector = Guice.createInjector(new DendriteModule(Settings.defaults()));
            Layer model = injector.getInstance(LayerContext.class).build(m.spec().model());
            Registries registries = injector.getInstance(Registries.class);
            Loss loss = Components.loss(registries, m.spec().loss());
            Optimizer optimizer = Components.optimizer(registries, m.spec().optimizer(), model.parameters());
            long start = System.nanoTime();
            double before = evaluationLoss(model, loss, x, labels);
            for (int step = 0; step < STEPS; step++) {
                model.train(true);
                optimizer.zeroGrad();
                Tensor y = model.forward(x);
                assertArrayEquals(new long[] {BATCH, 10}, y.shape(), m.name());
                loss.apply(y, labels).backward();
                if (step == 0) {
                    model.parameters().forEach((k, p) -> {
                        String what = m.name() + " gradient of " + k;
                        assertArrayEquals(p.shape(), p.grad().shape(), what);
                        assertTrue(Compare.maxAbs(what, p.grad()) > 0, what + " is zero");
                    });
                }
                optimizer.step();
            }
            double after = evaluationLoss(model, loss, x, labels);
            System.out.printf("%s: loss on a fixed batch %.4f -> %.4f after %d %s steps (%.1f s)%n", m.name(), before,
                    after, STEPS, m.spec().optimizer().type(), (System.nanoTime() - start) / 1e9);
            assertTrue(after < 0.95 * before, m.name() + ": loss " + before + " -> " + after + " after " + STEPS
                    + " steps on one batch");
        }
    }

    private static double evaluationLoss(Layer model, Loss loss, Tensor x, Tensor labels) {
        model.train(false);
        try (var off = GradMode.off()) {
            return loss.apply(model.forward(x), labels).item();
        }
    }

    @Test
    void everyReferenceModelExportsAndAgreesWithOnnxRuntime() {
        for (ReferenceModel m : ReferenceModels.all()) {
            Layer model = build(m);
            model.train(false);
            ModelProto proto = OnnxExport.export(model, m.spec(), OnnxExporter.DEFAULT_OPSET);
            // Dendrite's own model against ORT on the exported file, at a batch size other than the example's...
            Tensor x = Tensor.of(Nd4j.rand(DataType.FLOAT, 5, 784));
            INDArray ours;
            try (var off = GradMode.off()) {
                ours = model.forward(x).data();
            }
            try (OrtRunner ort = new OrtRunner(proto)) {
                double d = Compare.maxAbsDiff(m.name() + " vs ONNX Runtime", ort.run(x.data())[0], ours);
                assertTrue(d <= 1e-4, m.name() + ": " + d);
            }
            // ...and the file imported back into Dendrite against ORT (what `dendrite validate` checks).
            for (Validation.OutputDiff diff : Validation.run(proto, null, 7)) {
                assertTrue(diff.ok(), m.name() + ": " + diff);
            }
        }
    }
}

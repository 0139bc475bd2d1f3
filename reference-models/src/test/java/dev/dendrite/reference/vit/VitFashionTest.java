package dev.dendrite.reference.vit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.inject.Guice;
import com.google.inject.Injector;
import dev.dendrite.data.Subset;
import dev.dendrite.inject.DendriteModule;
import dev.dendrite.inject.Registries;
import dev.dendrite.inject.Settings;
import dev.dendrite.nn.Layer;
import dev.dendrite.nn.LayerContext;
import dev.dendrite.nn.Parameters;
import dev.dendrite.nn.Sequential;
import dev.dendrite.onnxbridge.OnnxExporter;
import dev.dendrite.onnxbridge.OrtRunner;
import dev.dendrite.onnxbridge.proto.ModelProto;
import dev.dendrite.onnxbridge.proto.NodeProto;
import dev.dendrite.reference.data.FashionMnist;
import dev.dendrite.reference.models.ReferenceModels;
import dev.dendrite.reference.run.OnnxExport;
import dev.dendrite.tensor.GradMode;
import dev.dendrite.tensor.Tensor;
import dev.dendrite.testkit.Compare;
import dev.dendrite.train.Components;
import dev.dendrite.train.EpochStats;
import dev.dendrite.train.Trainer;
import dev.dendrite.train.TrainingModule;
import dev.dendrite.train.TrainingRun;
import dev.dendrite.train.TrainingSpec;
import dev.dendrite.train.TrainingState;
import dev.dendrite.train.Runs;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** vit-fashion is the paper's architecture in miniature, trains, and exports a decomposed opset-17 graph ORT runs. */
class VitFashionTest {
    private static final VitFashion VIT = new VitFashion();

    private static Injector injector(long seed) {
        return Guice.createInjector(new DendriteModule(Settings.defaults().withSeed(seed)), new TrainingModule());
    }

    private static Layer build() {
        return injector(42).getInstance(LayerContext.class).build(VIT.spec().model());
    }

    @Test
    void isReproducibleByNameWithOurTarget() {
        assertEquals(VIT.name(), ReferenceModels.get("vit-fashion").name());
        assertEquals("0.8500", VIT.paperFigure());
        TrainingSpec spec = VIT.spec();
        assertEquals(128, spec.batchSize());
        assertEquals("fashion-mnist", spec.data());
        // The schedule is found through the attention plugin's services and gives its warm-up then its decay.
        Registries registries = injector(42).getInstance(Registries.class);
        var schedule = Components.schedule(registries, spec.schedule());
        assertEquals("step", spec.scheduleUnit());
        assertEquals(1e-4, schedule.learningRate(0, 1e-3), 1e-12);
        assertEquals(1e-3, schedule.learningRate(VitFashion.WARMUP_STEPS, 1e-3), 1e-12);
        // Laid out over the full training set: the rate reaches its floor at the last step of the last epoch.
        assertEquals(1e-5, schedule.learningRate((long) spec.epochs() * (60000 + 127) / 128, 1e-3), 1e-12);
    }

    @Test
    void hasTheVitLayersAndParameterCount() {
        Layer vit = build();
        List<String> kinds = ((Sequential) vit).layers().stream().map(Layer::kind).toList();
        List<String> expected = new java.util.ArrayList<>(List.of("reshape", "patch_embedding"));
        expected.addAll(java.util.Collections.nCopies(VitFashion.LAYERS, "transformer_encoder_layer"));
        expected.addAll(List.of("layer_norm", "token_pooling", "dense"));
        assertEquals(expected, kinds);
        long d = VitFashion.D;
        long ff = VitFashion.FF;
        long embed = d * 49 + d + d + 17 * d; // proj.weight [d,1,7,7], proj.bias, cls_token, pos_embed [1,17,d]
        long block = 3 * d * d + 3 * d + d * d + d + ff * d + ff + d * ff + d + 4 * d; // attn, MLP, 2 LayerNorms
        assertEquals(embed + VitFashion.LAYERS * block + 2 * d + d * 10 + 10, Parameters.count(vit));
        assertArrayEquals(new long[] {1, 17, d}, vit.parameters().get("embed.pos_embed").shape());
        assertArrayEquals(new long[] {d, 1, 7, 7}, vit.parameters().get("embed.proj.weight").shape());
        assertArrayEquals(new long[] {3 * d, d}, vit.parameters().get("block1.self_attn.in_proj_weight").shape());
    }

    @Test
    void mapsFlatImagesThroughSeventeenTokensToTenLogits() {
        Layer vit = build();
        List<Layer> layers = ((Sequential) vit).layers();
        Tensor x = Tensor.of(Nd4j.rand(DataType.FLOAT, 3, 784));
        Tensor tokens = layers.get(1).forward(layers.get(0).forward(x));
        assertArrayEquals(new long[] {3, 17, VitFashion.D}, tokens.shape());
        assertArrayEquals(new long[] {3, 10}, vit.forward(x).shape());
    }

    @Test
    void aShortRunOnAFewHundredImagesLowersTheLoss() {
        FashionMnist data = FashionMnist.embedded();
        Subset train = new Subset(data.train(), LongStream.range(0, 512).map(i -> i * 19).toArray(), "512 images");
        Subset test = new Subset(data.test(), LongStream.range(0, 200).map(i -> i * 10).toArray(), "200 images");
        TrainingSpec full = VIT.spec();
        // The model and optimizer of the spec; a constant rate (its schedule is laid out over the full run).
        TrainingSpec spec = new TrainingSpec(full.model(), full.loss(), full.optimizer(), null, null, 4, 64, 42L,
                full.data(), null, null);
        Injector i = injector(spec.seed());
        TrainingRun run = Runs.fresh(spec, i.getInstance(LayerContext.class), i.getInstance(Registries.class), train,
                test);
        TrainingState state = i.getInstance(Trainer.class).fit(run).state();
        List<EpochStats> h = state.history();
        System.out.println("vit-fashion, 512 images: train loss " + h.stream().map(e -> String.format("%.3f",
                e.trainLoss())).collect(Collectors.joining(" → ")) + ", test accuracy " + h.get(h.size() - 1)
                .testAccuracy());
        assertTrue(h.get(h.size() - 1).trainLoss() < 0.8 * h.get(0).trainLoss(), "the loss falls: " + h);
        assertTrue(h.get(h.size() - 1).testAccuracy() > 0.3, "better than chance (0.1): " + h);
    }

    @Test
    void exportsDecomposedAttentionAtOpset17ThatOnnxRuntimeAgreesWith() {
        Layer vit = build();
        vit.train(false);
        ModelProto proto = OnnxExport.export(vit, VIT.spec(), OnnxExporter.DEFAULT_OPSET);
        Set<String> ops = proto.getGraph().getNodeList().stream().map(NodeProto::getOpType).collect(Collectors.toSet());
        assertFalse(ops.contains("Attention"), "opset 17 has no Attention op: " + ops);
        assertTrue(ops.containsAll(Set.of("MatMul", "Softmax", "LayerNormalization", "Erf", "Expand")), ops.toString());
        Tensor x = Tensor.of(Nd4j.rand(DataType.FLOAT, 5, 784)); // the export was traced on 2 images
        INDArray ours;
        try (var off = GradMode.off()) {
            ours = vit.forward(x).data();
        }
        try (OrtRunner ort = new OrtRunner(proto)) {
            double diff = Compare.maxAbsDiff("vit-fashion vs ONNX Runtime", ort.run(x.data())[0], ours);
            System.out.println("vit-fashion vs ONNX Runtime, opset 17, batch 5: max abs diff " + diff);
            assertTrue(diff <= 1e-4, "max abs diff " + diff);
        }
    }
}

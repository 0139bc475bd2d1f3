package dev.dendrite.bench;

import com.google.inject.Guice;
import dev.dendrite.inject.DendriteModule;
import dev.dendrite.inject.Settings;
import dev.dendrite.nn.Layer;
import dev.dendrite.nn.LayerContext;
import dev.dendrite.onnxbridge.ImportedModel;
import dev.dendrite.onnxbridge.OnnxExporter;
import dev.dendrite.onnxbridge.OnnxImporter;
import dev.dendrite.onnxbridge.OrtRunner;
import dev.dendrite.onnxbridge.proto.ModelProto;
import dev.dendrite.reference.models.LeNet5;
import dev.dendrite.tensor.GradMode;
import dev.dendrite.tensor.Tensor;
import dev.dendrite.train.TrainingSpec;
import java.util.concurrent.TimeUnit;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * LeNet-5 inference (eval mode, no gradient) three ways on the same weights and batch: Dendrite's own model,
 * the same model exported to ONNX and imported back (the importer's graph interpreter), and ONNX Runtime on
 * that file (one intra-op thread), at batch 1 and 64 (float32 [batch, 784]). Run with OMP_NUM_THREADS=1 so
 * both engines get one core: the ratios imported/native and Dendrite/ORT are then like for like.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgs = {"-Dorg.bytedeco.javacpp.maxPhysicalBytes=4g", "-Xmx2g", "-Xss8m"})
public class OnnxInferenceBenchmark extends OffHeapState {
    /** Latency of one sample (batch 1) and of one batch of 64. */
    @Param({"1", "64"})
    public int batch;

    private Layer model;
    private ImportedModel imported;
    private OrtRunner ort;
    private Tensor features;

    @Setup
    public void setUp() {
        TrainingSpec spec = new LeNet5().spec();
        LayerContext ctx = Guice.createInjector(new DendriteModule(Settings.defaults().withSeed(spec.seed())))
                .getInstance(LayerContext.class);
        model = ctx.build(spec.model());
        model.train(false);
        Nd4j.getRandom().setSeed(42);
        features = Tensor.of(Nd4j.rand(DataType.FLOAT, batch, 784));
        ModelProto proto = OnnxExporter.export(model, features);
        imported = new OnnxImporter().importModel(proto, null);
        imported.train(false);
        ort = new OrtRunner(proto);
    }

    @TearDown
    public void closeOrt() {
        ort.close();
    }

    @Benchmark
    public INDArray dendrite() {
        try (var off = GradMode.off()) {
            return model.forward(features).data();
        }
    }

    @Benchmark
    public INDArray dendriteImported() {
        try (var off = GradMode.off()) {
            return imported.run(features)[0].data();
        }
    }

    @Benchmark
    public INDArray onnxRuntime() {
        return ort.run(features.data())[0];
    }
}

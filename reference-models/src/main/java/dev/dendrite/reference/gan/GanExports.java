package dev.dendrite.reference.gan;

import dev.dendrite.gan.GanRun;
import dev.dendrite.nn.Init;
import dev.dendrite.nn.Layer;
import dev.dendrite.onnxbridge.OnnxExporter;
import dev.dendrite.random.Rng;
import dev.dendrite.reference.run.OnnxExport;
import dev.dendrite.tensor.DendriteException;
import dev.dendrite.tensor.Tensor;
import java.nio.file.Path;

/** Both GAN models as ONNX (evaluation mode, symbolic batch), each validated in ONNX Runtime. */
public final class GanExports {
    private GanExports() {}

    /** The validation line of each file. */
    public record Lines(String generator, String discriminator) {}

    static Lines write(GanRun run, Path out) {
        long[] noise = run.spec().noiseShape(2);
        Tensor z = Tensor.of(Init.normal(new Rng(run.spec().seed()), run.dtype(), 0, 1, noise));
        run.generator().train(false);
        run.discriminator().train(false);
        Tensor images = run.generator().forward(z).detach();
        return new Lines(export(run.generator(), z, out.resolve("generator.onnx")),
                export(run.discriminator(), images, out.resolve("discriminator.onnx")));
    }

    private static String export(Layer model, Tensor example, Path file) {
        try {
            return OnnxExport.describe(OnnxExport.writeAndValidate(OnnxExporter.export(model,
                    OnnxExporter.DEFAULT_OPSET, example), file));
        } catch (DendriteException e) {
            return "export failed: " + e.getMessage();
        }
    }
}

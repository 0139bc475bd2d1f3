package dev.dendrite.reference.gan;

import dev.dendrite.gan.GanRun;
import dev.dendrite.nn.Init;
import dev.dendrite.nn.Predict;
import dev.dendrite.random.Rng;
import dev.dendrite.reference.run.OnnxExport;
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
        Tensor images = Tensor.of(Predict.outputs(run.generator(), z.data(), 2));
        return new Lines(OnnxExport.writeValidated(run.generator(), z, out.resolve("generator.onnx")),
                OnnxExport.writeValidated(run.discriminator(), images, out.resolve("discriminator.onnx")));
    }
}

package dev.dendrite.onnxbridge;

import dev.dendrite.nn.Layer;
import dev.dendrite.nn.LayerContext;
import dev.dendrite.nn.LayerProvider;
import dev.dendrite.spi.BaseProvider;
import dev.dendrite.tensor.DendriteException;
import java.nio.file.Path;

/**
 * Layer id {@code onnx}: an ONNX file as a layer of a spec, {@code {"type": "onnx", "config": {"file":
 * "model.onnx"}}}. This is how a PyTorch export is fine-tuned with {@code dendrite train}: its weights are the
 * file's initializers (not random), checkpoints store them under the file's names, and a resumed run imports
 * the file again and then loads the checkpoint's values over it.
 */
public final class OnnxModelProvider extends BaseProvider<OnnxModelProvider.Config>
        implements LayerProvider<OnnxModelProvider.Config> {
    public static final String ID = "onnx";

    /** @param file the .onnx file, relative to the working directory */
    public record Config(String file) {}

    public OnnxModelProvider() {
        super(ID, Config.class, new Config(null));
    }

    @Override
    public Layer create(Config config, LayerContext context) {
        if (config.file() == null || config.file().isBlank()) {
            throw new DendriteException("layer 'onnx' needs config.file, the .onnx file to import");
        }
        ImportedModel model = new OnnxImporter().load(Path.of(config.file()));
        model.randomStream(context.rng());
        return model;
    }
}

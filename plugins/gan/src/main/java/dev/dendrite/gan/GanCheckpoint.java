package dev.dendrite.gan;

import dev.dendrite.io.ArrayZip;
import dev.dendrite.spi.Json;
import dev.dendrite.train.Checkpoint;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A GAN run frozen after an epoch, as one zip (an {@link ArrayZip}: atomic write, CRC-checked read):
 * <pre>
 *   spec.json                          the GanSpec
 *   state.json                         epoch, step counts, random-stream state, per-epoch history
 *   generator/&lt;name&gt;.npy              the generator's parameters and buffers
 *   discriminator/&lt;name&gt;.npy          the discriminator's
 *   optimizer/generator/&lt;key&gt;.npy     the generator's optimizer state
 *   optimizer/discriminator/&lt;key&gt;.npy the discriminator's
 * </pre>
 */
public record GanCheckpoint(GanSpec spec, GanState state, Map<String, INDArray> generator,
        Map<String, INDArray> discriminator, Map<String, INDArray> generatorOptimizer,
        Map<String, INDArray> discriminatorOptimizer) {

    private static final String WHAT = "GAN checkpoint";
    private static final String SPEC = "spec.json";
    private static final String STATE = "state.json";
    private static final String G = "generator/";
    private static final String D = "discriminator/";
    private static final String G_OPT = "optimizer/generator/";
    private static final String D_OPT = "optimizer/discriminator/";

    public void write(Path file) {
        Map<String, String> texts = new LinkedHashMap<>();
        texts.put(SPEC, Json.write(spec));
        texts.put(STATE, Json.write(state));
        Map<String, Map<String, INDArray>> arrays = new LinkedHashMap<>();
        arrays.put(G, generator);
        arrays.put(D, discriminator);
        arrays.put(G_OPT, generatorOptimizer);
        arrays.put(D_OPT, discriminatorOptimizer);
        new ArrayZip(texts, arrays).write(file, WHAT);
    }

    public static GanCheckpoint read(Path file) {
        ArrayZip zip = ArrayZip.read(file, WHAT, List.of(G, D, G_OPT, D_OPT));
        Map<String, Map<String, INDArray>> a = zip.arrays();
        return new GanCheckpoint(Checkpoint.parse(zip.text(SPEC, file, WHAT), GanSpec.class, file, SPEC),
                Checkpoint.parse(zip.text(STATE, file, WHAT), GanState.class, file, STATE), a.get(G), a.get(D),
                a.get(G_OPT), a.get(D_OPT));
    }
}

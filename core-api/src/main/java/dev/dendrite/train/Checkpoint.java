package dev.dendrite.train;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dendrite.io.ArrayZip;
import dev.dendrite.spi.Json;
import dev.dendrite.tensor.DendriteException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A training run frozen after an epoch, as one zip:
 * <pre>
 *   spec.json                 the TrainingSpec (model, loss, optimizer, schedule, settings)
 *   state.json                epoch, step, random-stream state, per-epoch history
 *   params/&lt;name&gt;.npy       every parameter and buffer by hierarchical name (NumPy reads these)
 *   optimizer/&lt;key&gt;.npy     the optimizer's state
 * </pre>
 * An {@link ArrayZip}: written atomically, read with every entry's CRC verified.
 */
public record Checkpoint(TrainingSpec spec, TrainingState state, Map<String, INDArray> parameters,
        Map<String, INDArray> optimizer) {

    private static final String WHAT = "checkpoint";
    private static final String SPEC = "spec.json";
    private static final String STATE = "state.json";
    private static final String PARAMS = "params/";
    private static final String OPTIMIZER = "optimizer/";

    public void write(Path file) {
        Map<String, String> texts = new LinkedHashMap<>();
        texts.put(SPEC, Json.write(spec));
        texts.put(STATE, Json.write(state));
        Map<String, Map<String, INDArray>> arrays = new LinkedHashMap<>();
        arrays.put(PARAMS, parameters);
        arrays.put(OPTIMIZER, optimizer);
        new ArrayZip(texts, arrays).write(file, WHAT);
    }

    public static Checkpoint read(Path file) {
        ArrayZip zip = ArrayZip.read(file, WHAT, List.of(PARAMS, OPTIMIZER));
        return new Checkpoint(parse(zip.text(SPEC, file, WHAT), TrainingSpec.class, file, SPEC),
                parse(zip.text(STATE, file, WHAT), TrainingState.class, file, STATE), zip.arrays().get(PARAMS),
                zip.arrays().get(OPTIMIZER));
    }

    /** A JSON entry as {@code type}, or an error naming the file and entry. */
    public static <T> T parse(String json, Class<T> type, Path file, String entry) {
        try {
            JsonNode tree = Json.MAPPER.readTree(json);
            return Json.MAPPER.treeToValue(tree, type);
        } catch (Exception e) {
            throw new DendriteException(file + ": entry '" + entry + "' is not a valid " + type.getSimpleName() + ": "
                    + e.getMessage().lines().findFirst().orElse(""), e);
        }
    }
}

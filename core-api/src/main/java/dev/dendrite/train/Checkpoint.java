package dev.dendrite.train;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dendrite.io.AtomicFiles;
import dev.dendrite.io.NpyArchive;
import dev.dendrite.spi.Json;
import dev.dendrite.tensor.DendriteException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A training run frozen after an epoch, as one zip:
 * <pre>
 *   spec.json                 the TrainingSpec (model, loss, optimizer, schedule, settings)
 *   state.json                epoch, step, random-stream state, per-epoch history
 *   params/&lt;name&gt;.npy       every parameter and buffer by hierarchical name (NumPy reads these)
 *   optimizer/&lt;key&gt;.npy     the optimizer's state
 * </pre>
 * Written atomically ({@link AtomicFiles}); read with every entry's CRC verified, so a truncated or
 * damaged file is an error naming the file and entry, never half a model.
 */
public record Checkpoint(TrainingSpec spec, TrainingState state, Map<String, INDArray> parameters,
        Map<String, INDArray> optimizer) {

    private static final String SPEC = "spec.json";
    private static final String STATE = "state.json";
    private static final String PARAMS = "params/";
    private static final String OPTIMIZER = "optimizer/";

    public void write(Path file) {
        try {
            AtomicFiles.write(file, out -> {
                ZipOutputStream zip = new ZipOutputStream(out);
                text(zip, SPEC, Json.write(spec));
                text(zip, STATE, Json.write(state));
                NpyArchive.write(zip, PARAMS, parameters);
                NpyArchive.write(zip, OPTIMIZER, optimizer);
                zip.finish();
            });
        } catch (IOException e) {
            throw new DendriteException(file + ": cannot write checkpoint: " + e.getMessage(), e);
        }
    }

    private static void text(ZipOutputStream zip, String name, String content) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(content.getBytes(StandardCharsets.UTF_8));
        zip.closeEntry();
    }

    public static Checkpoint read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new DendriteException(file + ": no such checkpoint file");
        }
        String spec = null;
        String state = null;
        Map<String, INDArray> params = new LinkedHashMap<>();
        Map<String, INDArray> opt = new LinkedHashMap<>();
        try (ZipFile zip = new ZipFile(file.toFile())) {
            Enumeration<? extends ZipEntry> entries = zip.entries();
            while (entries.hasMoreElements()) {
                ZipEntry e = entries.nextElement();
                byte[] bytes = verified(zip, e, file);
                String name = e.getName();
                if (name.equals(SPEC)) {
                    spec = new String(bytes, StandardCharsets.UTF_8);
                } else if (name.equals(STATE)) {
                    state = new String(bytes, StandardCharsets.UTF_8);
                } else if (name.startsWith(PARAMS) && name.endsWith(".npy")) {
                    params.put(strip(name, PARAMS), NpyArchive.parse(bytes, file.toString(), name));
                } else if (name.startsWith(OPTIMIZER) && name.endsWith(".npy")) {
                    opt.put(strip(name, OPTIMIZER), NpyArchive.parse(bytes, file.toString(), name));
                }
            }
        } catch (ZipException | NoSuchFileException e) {
            throw new DendriteException(file + ": not a readable checkpoint (truncated or not a zip): " + e.getMessage(),
                    e);
        } catch (IOException e) {
            throw new DendriteException(file + ": cannot read checkpoint: " + e.getMessage(), e);
        }
        if (spec == null || state == null) {
            throw new DendriteException(file + ": checkpoint has no " + (spec == null ? SPEC : STATE) + " entry");
        }
        return new Checkpoint(parse(spec, TrainingSpec.class, file, SPEC), parse(state, TrainingState.class, file, STATE),
                params, opt);
    }

    private static byte[] verified(ZipFile zip, ZipEntry e, Path file) throws IOException {
        byte[] bytes;
        try (InputStream in = zip.getInputStream(e)) {
            bytes = in.readAllBytes();
        } catch (IOException ex) {
            throw new DendriteException(file + ": entry '" + e.getName() + "' is damaged: " + ex.getMessage(), ex);
        }
        CRC32 crc = new CRC32();
        crc.update(bytes);
        if (e.getCrc() != -1 && crc.getValue() != e.getCrc()) {
            throw new DendriteException(file + ": entry '" + e.getName() + "' is damaged (CRC mismatch)");
        }
        return bytes;
    }

    private static String strip(String name, String prefix) {
        return name.substring(prefix.length(), name.length() - ".npy".length());
    }

    private static <T> T parse(String json, Class<T> type, Path file, String entry) {
        try {
            JsonNode tree = Json.MAPPER.readTree(json);
            return Json.MAPPER.treeToValue(tree, type);
        } catch (Exception e) {
            throw new DendriteException(file + ": entry '" + entry + "' is not a valid " + type.getSimpleName() + ": "
                    + e.getMessage().lines().findFirst().orElse(""), e);
        }
    }
}

package dev.dendrite.io;

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
 * A zip of JSON texts and NumPy arrays grouped by folder: the format of every checkpoint (a training run's,
 * a GAN's two models and two optimizers). Written atomically ({@link AtomicFiles}), so a crash mid-write
 * leaves the previous file; read with every entry's CRC verified, so a truncated or damaged file is an error
 * naming the file and entry, never half a model.
 *
 * @param texts entry name → UTF-8 content
 * @param arrays folder (e.g. {@code "params/"}) → array name → array, each stored as {@code folder + name + ".npy"}
 */
public record ArrayZip(Map<String, String> texts, Map<String, Map<String, INDArray>> arrays) {

    /** @param what the kind of file, for messages ("checkpoint") */
    public void write(Path file, String what) {
        try {
            AtomicFiles.write(file, out -> {
                ZipOutputStream zip = new ZipOutputStream(out);
                for (Map.Entry<String, String> t : texts.entrySet()) {
                    zip.putNextEntry(new ZipEntry(t.getKey()));
                    zip.write(t.getValue().getBytes(StandardCharsets.UTF_8));
                    zip.closeEntry();
                }
                for (Map.Entry<String, Map<String, INDArray>> folder : arrays.entrySet()) {
                    NpyArchive.write(zip, folder.getKey(), folder.getValue());
                }
                zip.finish();
            });
        } catch (IOException e) {
            throw new DendriteException(file + ": cannot write " + what + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads {@code file}: the named text entries and the arrays under each of {@code folders}; other entries
     * are ignored.
     */
    public static ArrayZip read(Path file, String what, java.util.List<String> folders) {
        if (!Files.isRegularFile(file)) {
            throw new DendriteException(file + ": no such " + what + " file");
        }
        Map<String, String> texts = new LinkedHashMap<>();
        Map<String, Map<String, INDArray>> arrays = new LinkedHashMap<>();
        folders.forEach(f -> arrays.put(f, new LinkedHashMap<>()));
        try (ZipFile zip = new ZipFile(file.toFile())) {
            Enumeration<? extends ZipEntry> entries = zip.entries();
            while (entries.hasMoreElements()) {
                ZipEntry e = entries.nextElement();
                byte[] bytes = verified(zip, e, file);
                String name = e.getName();
                String folder = name.endsWith(".npy") ? folderOf(name, folders) : null;
                if (folder != null) {
                    String key = name.substring(folder.length(), name.length() - ".npy".length());
                    arrays.get(folder).put(key, NpyArchive.parse(bytes, file.toString(), name));
                } else if (name.endsWith(".json")) {
                    texts.put(name, new String(bytes, StandardCharsets.UTF_8));
                }
            }
        } catch (ZipException | NoSuchFileException e) {
            throw new DendriteException(file + ": not a readable " + what + " (truncated or not a zip): "
                    + e.getMessage(), e);
        } catch (IOException e) {
            throw new DendriteException(file + ": cannot read " + what + ": " + e.getMessage(), e);
        }
        return new ArrayZip(texts, arrays);
    }

    /** The text entry {@code name}, or an error naming the file and the missing entry. */
    public String text(String name, Path file, String what) {
        String t = texts.get(name);
        if (t == null) {
            throw new DendriteException(file + ": " + what + " has no " + name + " entry");
        }
        return t;
    }

    /** The longest folder {@code name} lies in directly or below (so "optimizer/generator/" beats "optimizer/"). */
    private static String folderOf(String name, java.util.List<String> folders) {
        String best = null;
        for (String f : folders) {
            if (name.startsWith(f) && (best == null || f.length() > best.length())) {
                best = f;
            }
        }
        return best;
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
}

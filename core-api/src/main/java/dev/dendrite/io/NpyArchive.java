package dev.dendrite.io;

import dev.dendrite.tensor.DendriteException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Named arrays as {@code <name>.npy} entries of a zip, the layout NumPy's {@code np.load} reads
 * ({@code .npz}). Parameters keep their hierarchical names, so a checkpoint opens in Python as is.
 */
public final class NpyArchive {
    private NpyArchive() {}

    /** Writes every array under {@code prefix + name + ".npy"}. */
    public static void write(ZipOutputStream zip, String prefix, Map<String, INDArray> arrays) throws IOException {
        for (Map.Entry<String, INDArray> e : arrays.entrySet()) {
            zip.putNextEntry(new ZipEntry(prefix + e.getKey() + ".npy"));
            zip.write(Nd4j.toNpyByteArray(e.getValue().dup('c')));
            zip.closeEntry();
        }
    }

    public static byte[] toBytes(Map<String, INDArray> arrays) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            write(zip, "", arrays);
        } catch (IOException e) {
            throw new DendriteException("cannot write arrays: " + e.getMessage(), e);
        }
        return bytes.toByteArray();
    }

    /** Reads every {@code .npy} entry of a zip; {@code source} names the file in errors. */
    public static Map<String, INDArray> read(InputStream in, String source) {
        Map<String, INDArray> out = new LinkedHashMap<>();
        try (ZipInputStream zip = new ZipInputStream(in)) {
            ZipEntry entry;
            while ((entry = zip.getNextEntry()) != null) {
                if (!entry.getName().endsWith(".npy")) {
                    continue;
                }
                String name = entry.getName().substring(0, entry.getName().length() - 4);
                out.put(name, parse(zip.readAllBytes(), source, entry.getName()));
            }
        } catch (IOException e) {
            throw new DendriteException(source + ": not a readable zip of .npy arrays: " + e.getMessage(), e);
        }
        return out;
    }

    /** One .npy payload, checked before ND4J parses it (a bad header must not reach native code). */
    public static INDArray parse(byte[] npy, String source, String entry) {
        if (npy.length < 10 || npy[0] != (byte) 0x93 || npy[1] != 'N' || npy[2] != 'U' || npy[3] != 'M'
                || npy[4] != 'P' || npy[5] != 'Y') {
            throw new DendriteException(source + ": entry '" + entry + "' is not a .npy array (bad magic)");
        }
        try {
            return Nd4j.createNpyFromByteArray(npy);
        } catch (RuntimeException e) {
            throw new DendriteException(source + ": entry '" + entry + "' is a damaged .npy array: " + e.getMessage(),
                    e);
        }
    }
}

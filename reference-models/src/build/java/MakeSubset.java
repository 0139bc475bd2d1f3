import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Makes the Fashion-MNIST subset embedded in dendrite-reference-models: the first 1000 images of each
 * class from the train split and the first 200 of each class from the test split, in their original order.
 *
 * <p>Why a committed tool: the subset is data the tests and the CLI depend on, so anyone must be able to
 * regenerate it bit for bit and check it against the originals. It is deliberately JDK-only (no ND4J, no
 * project classes) and lives outside Maven's source roots, so it is never compiled into the jar.
 *
 * <p>Run it with the single-file launcher, from the repository root:
 * <pre>
 *   java reference-models/src/build/java/MakeSubset.java \
 *       /usr/share/datasets/fashion-mnist \
 *       reference-models/src/main/resources/datasets/fashion-mnist-subset
 * </pre>
 * The input directory holds Zalando's {train,t10k}-{images-idx3,labels-idx1}-ubyte.gz (Debian package
 * dataset-fashion-mnist). Output: the same four names, gzip'd IDX.
 *
 * <p>Deterministic: the selection depends only on the labels; {@link GZIPOutputStream} writes a fixed
 * header (no file name, MTIME 0, OS byte 0), and the deflate level is fixed at 9. The compressed bytes are
 * therefore identical on every run with the same zlib; the SHA-256 of the uncompressed IDX, printed for
 * each file, does not depend on zlib at all.
 */
public final class MakeSubset {
    private static final int CLASSES = 10;
    private static final int TRAIN_PER_CLASS = 1000;
    private static final int TEST_PER_CLASS = 200;
    private static final int IMAGES_MAGIC = 0x00000803;
    private static final int LABELS_MAGIC = 0x00000801;

    private MakeSubset() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: java MakeSubset.java <fashion-mnist dir> <output dir>");
            System.exit(2);
        }
        Path in = Path.of(args[0]);
        Path out = Path.of(args[1]);
        Files.createDirectories(out);
        split(in, out, "train", TRAIN_PER_CLASS);
        split(in, out, "t10k", TEST_PER_CLASS);
    }

    /** Selects the first {@code perClass} examples of each class of one split and writes both files. */
    private static void split(Path in, Path out, String split, int perClass) throws IOException {
        Idx images = read(in.resolve(split + "-images-idx3-ubyte.gz"), IMAGES_MAGIC);
        Idx labels = read(in.resolve(split + "-labels-idx1-ubyte.gz"), LABELS_MAGIC);
        int n = labels.dims[0];
        if (images.dims[0] != n) {
            throw new IOException(split + ": " + images.dims[0] + " images but " + n + " labels");
        }
        int imageBytes = images.dims[1] * images.dims[2];
        int total = perClass * CLASSES;
        int[] taken = new int[CLASSES];
        byte[] subImages = new byte[total * imageBytes];
        byte[] subLabels = new byte[total];
        int k = 0;
        for (int i = 0; i < n && k < total; i++) {
            int label = labels.payload[i];
            if (label < 0 || label >= CLASSES) {
                throw new IOException(split + ": label " + label + " at " + i + " is not a class");
            }
            if (taken[label] < perClass) {
                taken[label]++;
                subLabels[k] = (byte) label;
                System.arraycopy(images.payload, i * imageBytes, subImages, k * imageBytes, imageBytes);
                k++;
            }
        }
        if (k != total) {
            throw new IOException(split + ": only " + k + " of " + total + " examples found");
        }
        write(out.resolve(split + "-images-idx3-ubyte.gz"), IMAGES_MAGIC,
                new int[] {total, images.dims[1], images.dims[2]}, subImages);
        write(out.resolve(split + "-labels-idx1-ubyte.gz"), LABELS_MAGIC, new int[] {total}, subLabels);
    }

    private record Idx(int[] dims, byte[] payload) {}

    private static Idx read(Path file, int magic) throws IOException {
        try (DataInputStream in = new DataInputStream(new GZIPInputStream(Files.newInputStream(file), 1 << 16))) {
            int m = in.readInt();
            if (m != magic) {
                throw new IOException(file + ": magic 0x" + Integer.toHexString(m) + ", expected 0x"
                        + Integer.toHexString(magic));
            }
            int[] dims = new int[m & 0xff];
            long count = 1;
            for (int i = 0; i < dims.length; i++) {
                dims[i] = in.readInt();
                count *= dims[i];
            }
            byte[] payload = in.readNBytes(Math.toIntExact(count));
            if (payload.length != count || in.read() != -1) {
                throw new IOException(file + ": payload is not the " + count + " bytes its header declares");
            }
            return new Idx(dims, payload);
        }
    }

    private static void write(Path file, int magic, int[] dims, byte[] payload) throws IOException {
        ByteBuffer header = ByteBuffer.allocate(4 + 4 * dims.length).putInt(magic);
        for (int d : dims) {
            header.putInt(d);
        }
        ByteArrayOutputStream idx = new ByteArrayOutputStream(header.capacity() + payload.length);
        idx.write(header.array());
        idx.write(payload);
        byte[] raw = idx.toByteArray();
        try (OutputStream gz = new BestGzip(Files.newOutputStream(file))) {
            gz.write(raw);
        }
        System.out.printf("%s  %d bytes gz  idx sha256 %s  gz sha256 %s%n", file, Files.size(file), sha256(raw),
                sha256(Files.readAllBytes(file)));
    }

    /** GZIPOutputStream at deflate level 9; the header stays the JDK's fixed one (MTIME 0). */
    private static final class BestGzip extends GZIPOutputStream {
        BestGzip(OutputStream out) throws IOException {
            super(out, 1 << 16);
            def.setLevel(Deflater.BEST_COMPRESSION);
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

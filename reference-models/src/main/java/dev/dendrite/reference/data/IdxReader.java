package dev.dendrite.reference.data;

import dev.dendrite.tensor.DendriteException;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.concurrency.AffinityManager;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Reads IDX files, the format of MNIST and Fashion-MNIST, plain or gzip'd (told apart by the gzip magic
 * 0x1f8b, not by the file name).
 *
 * <p>IDX is a big-endian header (two zero bytes, a type code, the number of dims, then each dim as an
 * unsigned 32-bit int) followed by the values in row-major order. Only type 0x08 (unsigned byte) is
 * accepted: it is what the MNIST family uses, and anything else would be a different file than the
 * caller thinks. Every check happens before the data reaches ND4J and fails with a
 * {@link DendriteException} naming the file: a wrong magic or type code, a zero dim, a header that declares
 * more than {@link #MAX_ELEMENTS} values, a payload shorter or longer than the header says, a corrupt gzip
 * stream. A corrupt header therefore never makes us allocate what it claims: the payload is read in chunks
 * ({@link InputStream#readNBytes(int)}), so a lying header costs only the bytes actually there.
 *
 * <p>The payload is read into one {@code byte[]} and bulk-copied into a native {@code UINT8} array; no Java
 * code touches single values.
 */
public final class IdxReader {
    /** The largest element count accepted: the largest {@code byte[]} a JVM will allocate. */
    public static final long MAX_ELEMENTS = Integer.MAX_VALUE - 8;

    /** The one IDX type code read here. */
    public static final int UNSIGNED_BYTE = 0x08;

    private static final int BUFFER = 1 << 16;

    private IdxReader() {}

    /** Reads {@code file}, which may be gzip'd; messages name its path. */
    public static IdxArray read(Path file) {
        String name = file.toString();
        if (!Files.isRegularFile(file)) {
            throw new DendriteException(name + ": IDX file not found (or not a regular file)");
        }
        InputStream in;
        try {
            in = Files.newInputStream(file);
        } catch (IOException e) {
            throw new DendriteException(name + ": cannot open IDX file: " + e.getMessage(), e);
        }
        return read(in, name);
    }

    /**
     * Reads one IDX file from {@code in} (plain or gzip'd) to its end, then closes it.
     *
     * @param name what the stream is (a path, a resource name), used in every message
     */
    public static IdxArray read(InputStream in, String name) {
        try (InputStream owned = in; InputStream data = decompressed(owned)) {
            long[] shape = header(data, name);
            int count = (int) product(shape);
            byte[] payload = data.readNBytes(count);
            if (payload.length < count) {
                throw new DendriteException(name + ": truncated IDX file: the header declares dims "
                        + Arrays.toString(shape) + ", i.e. " + count + " bytes of data, but only "
                        + payload.length + " bytes follow the header");
            }
            long trailing = data.transferTo(OutputStream.nullOutputStream());
            if (trailing > 0) {
                throw new DendriteException(name + ": " + trailing + " trailing bytes after the " + count
                        + " bytes of data that the header declares (dims " + Arrays.toString(shape)
                        + "); not a well-formed IDX file");
            }
            return new IdxArray(name, shape, toUint8(payload, shape));
        } catch (ZipException | EOFException e) {
            throw new DendriteException(name + ": corrupt or truncated gzip data: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new DendriteException(name + ": cannot read IDX file: " + e.getMessage(), e);
        }
    }

    /** {@code in} itself, or a gunzipping view of it if it starts with the gzip magic. */
    private static InputStream decompressed(InputStream in) throws IOException {
        BufferedInputStream buffered = new BufferedInputStream(in, BUFFER);
        buffered.mark(2);
        int b0 = buffered.read();
        int b1 = buffered.read();
        buffered.reset();
        return b0 == 0x1f && b1 == 0x8b ? new GZIPInputStream(buffered, BUFFER) : buffered;
    }

    /** Reads and checks the header; returns the declared dims. */
    private static long[] header(InputStream in, String name) throws IOException {
        byte[] magic = in.readNBytes(4);
        if (magic.length < 4) {
            throw new DendriteException(name + ": not an IDX file: " + magic.length
                    + " bytes, too short for the 4-byte IDX magic");
        }
        int magicValue = ByteBuffer.wrap(magic).getInt();
        if (magic[0] != 0 || magic[1] != 0) {
            throw new DendriteException(String.format("%s: not an IDX file: magic number 0x%08X; an IDX magic"
                    + " starts with two zero bytes (0x00000803 for images, 0x00000801 for labels)",
                    name, magicValue));
        }
        int type = magic[2] & 0xff;
        if (type != UNSIGNED_BYTE) {
            throw new DendriteException(String.format("%s: IDX type code 0x%02X (%s, magic 0x%08X) is not"
                    + " supported; only 0x08 (unsigned byte) is", name, type, typeName(type), magicValue));
        }
        int rank = magic[3] & 0xff;
        if (rank == 0) {
            throw new DendriteException(String.format("%s: IDX magic 0x%08X declares 0 dimensions", name,
                    magicValue));
        }
        byte[] dimBytes = in.readNBytes(4 * rank);
        if (dimBytes.length < 4 * rank) {
            throw new DendriteException(name + ": truncated IDX header: " + rank + " dims need " + 4 * rank
                    + " bytes after the magic, only " + dimBytes.length + " are there");
        }
        ByteBuffer dims = ByteBuffer.wrap(dimBytes);
        long[] shape = new long[rank];
        for (int i = 0; i < rank; i++) {
            shape[i] = Integer.toUnsignedLong(dims.getInt());
        }
        checkDims(shape, name);
        return shape;
    }

    private static void checkDims(long[] shape, String name) {
        BigInteger total = BigInteger.ONE;
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] == 0) {
                throw new DendriteException(name + ": IDX dim " + i + " is 0 (dims " + Arrays.toString(shape)
                        + "); every dim must be positive");
            }
            total = total.multiply(BigInteger.valueOf(shape[i]));
        }
        if (total.compareTo(BigInteger.valueOf(MAX_ELEMENTS)) > 0) {
            throw new DendriteException(name + ": IDX header declares dims " + Arrays.toString(shape) + ", i.e. "
                    + total + " elements, more than the " + MAX_ELEMENTS
                    + " this reader accepts; the header is corrupt or this is not an IDX file");
        }
    }

    private static long product(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    private static INDArray toUint8(byte[] payload, long[] shape) {
        INDArray out = Nd4j.createUninitialized(DataType.UINT8, shape);
        out.data().asNio().put(payload);
        // On a device backend the host copy is now the fresh one; a no-op on the CPU backend.
        Nd4j.getAffinityManager().tagLocation(out, AffinityManager.Location.HOST);
        return out;
    }

    private static String typeName(int type) {
        return switch (type) {
            case 0x09 -> "signed byte";
            case 0x0B -> "int16";
            case 0x0C -> "int32";
            case 0x0D -> "float32";
            case 0x0E -> "float64";
            default -> "not an IDX type";
        };
    }
}

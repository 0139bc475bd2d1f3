package dev.dendrite.reference.data;

import static dev.dendrite.reference.data.IdxBytes.gzip;
import static dev.dendrite.reference.data.IdxBytes.idx;
import static dev.dendrite.reference.data.IdxBytes.images;
import static dev.dendrite.reference.data.IdxBytes.labels;
import static dev.dendrite.reference.data.IdxBytes.ramp;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dendrite.tensor.DendriteException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;

class IdxReaderTest {
    @TempDir
    Path dir;

    private Path write(String name, byte[] bytes) throws IOException {
        return Files.write(dir.resolve(name), bytes);
    }

    /** The payload read back as ints, so 128..255 are checked as unsigned. */
    private static int[] values(IdxArray a) {
        return a.values().castTo(DataType.INT32).reshape(a.values().length()).toIntVector();
    }

    private static int[] unsigned(byte[] b) {
        int[] out = new int[b.length];
        for (int i = 0; i < b.length; i++) {
            out[i] = b[i] & 0xff;
        }
        return out;
    }

    @Test
    void plainImagesRoundTripExactly() throws IOException {
        byte[] pixels = ramp(2 * 16 * 16); // 512 values: every byte value, twice
        Path file = write("imgs-idx3-ubyte", images(2, 16, 16, pixels));
        IdxArray a = IdxReader.read(file);
        assertArrayEquals(new long[] {2, 16, 16}, a.shape());
        assertArrayEquals(new long[] {2, 16, 16}, a.values().shape());
        assertEquals(DataType.UINT8, a.values().dataType());
        assertEquals(2, a.count());
        assertEquals(file.toString(), a.name());
        assertArrayEquals(unsigned(pixels), values(a));
        assertEquals(255, a.values().getInt(0, 15, 15));
        assertEquals(128, a.values().getInt(0, 8, 0));
    }

    @Test
    void gzipIsDetectedByMagicNotByName() throws IOException {
        byte[] pixels = ramp(3 * 4 * 5);
        pixels[7] = (byte) 200;
        Path file = write("no-extension", gzip(images(3, 4, 5, pixels)));
        IdxArray a = IdxReader.read(file);
        assertArrayEquals(new long[] {3, 4, 5}, a.shape());
        assertArrayEquals(unsigned(pixels), values(a));
        assertEquals(200, a.values().getInt(0, 1, 2));
    }

    @Test
    void labelsFromStreamsPlainAndGzip() {
        byte[] raw = labels((byte) 9, (byte) 0, (byte) 3, (byte) 255);
        for (byte[] bytes : new byte[][] {raw, gzip(raw)}) {
            IdxArray a = IdxReader.read(new ByteArrayInputStream(bytes), "labels.bin");
            assertArrayEquals(new long[] {4}, a.shape());
            assertArrayEquals(new int[] {9, 0, 3, 255}, values(a));
            assertEquals("labels.bin", a.name());
        }
    }

    @Test
    void shapeIsCopiedNotShared() {
        IdxArray a = IdxReader.read(new ByteArrayInputStream(labels((byte) 1)), "l");
        a.shape()[0] = 42;
        assertEquals(1, a.shape()[0]);
    }

    private static DendriteException fails(byte[] bytes, String name) {
        return assertThrows(DendriteException.class, () -> IdxReader.read(new ByteArrayInputStream(bytes), name));
    }

    private static void assertContains(String message, String... parts) {
        for (String p : parts) {
            assertTrue(message.contains(p), () -> "'" + message + "' should contain '" + p + "'");
        }
    }

    @Test
    void badMagicIsRejected() throws IOException {
        Path file = write("junk.idx", new byte[] {0x12, 0x34, 0x08, 0x03, 0, 0, 0, 1, 7});
        DendriteException e = assertThrows(DendriteException.class, () -> IdxReader.read(file));
        assertContains(e.getMessage(), file.toString(), "not an IDX file", "0x12340803", "0x00000803");
        // The classic mistake: the header written little-endian.
        byte[] swapped = {0x03, 0x08, 0, 0, 1, 0, 0, 0, 7};
        assertContains(fails(swapped, "le.idx").getMessage(), "le.idx", "not an IDX file", "0x03080000");
        // A gzip'd file that is not IDX inside is caught the same way.
        assertContains(fails(gzip("hello world".getBytes()), "text.gz").getMessage(), "text.gz", "not an IDX file");
    }

    @Test
    void otherTypeCodesAreRejected() {
        DendriteException e = fails(idx(0x00000D03, new long[] {1, 1, 1}, new byte[4]), "floats.idx");
        assertContains(e.getMessage(), "floats.idx", "type code 0x0D", "float32", "only 0x08 (unsigned byte)");
        e = fails(idx(0x00000901, new long[] {2}, new byte[2]), "signed.idx");
        assertContains(e.getMessage(), "signed.idx", "type code 0x09", "signed byte");
        e = fails(idx(0x00004201, new long[] {2}, new byte[2]), "odd.idx");
        assertContains(e.getMessage(), "odd.idx", "type code 0x42", "not an IDX type");
    }

    @Test
    void truncatedPayloadNamesExpectedAndActualBytes() throws IOException {
        byte[] whole = images(2, 3, 3, ramp(18));
        Path file = write("short-idx3-ubyte", Arrays.copyOf(whole, whole.length - 8));
        DendriteException e = assertThrows(DendriteException.class, () -> IdxReader.read(file));
        assertContains(e.getMessage(), file.toString(), "truncated", "[2, 3, 3]", "18 bytes", "only 10 bytes");
        // Also inside gzip (a complete gzip stream of a short IDX file).
        Path gz = write("short.gz", gzip(Arrays.copyOf(whole, whole.length - 8)));
        e = assertThrows(DendriteException.class, () -> IdxReader.read(gz));
        assertContains(e.getMessage(), gz.toString(), "truncated", "18 bytes", "only 10 bytes");
    }

    @Test
    void truncatedHeaderIsRejected() {
        assertContains(fails(new byte[] {0, 0}, "tiny").getMessage(), "tiny", "2 bytes", "too short");
        byte[] header = Arrays.copyOf(images(1, 2, 2, new byte[4]), 10);
        assertContains(fails(header, "half").getMessage(), "half", "truncated IDX header", "12 bytes", "only 6");
    }

    @Test
    void trailingBytesAreRejected() {
        byte[] withTail = Arrays.copyOf(labels((byte) 1, (byte) 2), 8 + 2 + 3);
        DendriteException e = fails(withTail, "tail.idx");
        assertContains(e.getMessage(), "tail.idx", "3 trailing bytes", "2 bytes of data", "[2]");
        assertContains(fails(gzip(withTail), "tail.gz").getMessage(), "tail.gz", "3 trailing bytes");
    }

    @Test
    void absurdDimsAreRefusedBeforeAllocating() {
        // 2^20 x 2^20 = 2^40 elements, with no payload at all: must fail on the header, not run out of memory.
        DendriteException e = fails(idx(0x00000802, new long[] {1L << 20, 1L << 20}, new byte[0]), "huge.idx");
        assertContains(e.getMessage(), "huge.idx", "1099511627776 elements", "[1048576, 1048576]",
                String.valueOf(IdxReader.MAX_ELEMENTS));
        // A dim is unsigned: 0xFFFFFFFF is 4294967295, not -1.
        e = fails(idx(0x00000801, new long[] {0xFFFFFFFFL}, new byte[0]), "neg.idx");
        assertContains(e.getMessage(), "neg.idx", "4294967295 elements");
        // Many dims whose product overflows a long.
        long[] dims = new long[8];
        Arrays.fill(dims, 0xFFFFFFFFL);
        assertContains(fails(idx(0x00000808, dims, new byte[0]), "many.idx").getMessage(), "many.idx",
                "more than the");
    }

    @Test
    void zeroDimsAreRejected() {
        assertContains(fails(idx(0x00000803, new long[] {5, 0, 28}, new byte[0]), "zero.idx").getMessage(),
                "zero.idx", "dim 1 is 0", "positive");
        assertContains(fails(idx(0x00000800, new long[0], new byte[0]), "rank0.idx").getMessage(), "rank0.idx",
                "0 dimensions");
    }

    @Test
    void corruptGzipIsAClearError() {
        byte[] gz = gzip(images(2, 8, 8, ramp(128)));
        DendriteException e = fails(Arrays.copyOf(gz, gz.length / 2), "cut.gz");
        assertContains(e.getMessage(), "cut.gz", "corrupt or truncated gzip");
        byte[] flipped = gz.clone();
        flipped[12] ^= (byte) 0xff;
        flipped[13] ^= (byte) 0xff;
        assertContains(fails(flipped, "flipped.gz").getMessage(), "flipped.gz");
    }

    @Test
    void missingFileIsAClearError() {
        Path missing = dir.resolve("nope-idx3-ubyte.gz");
        DendriteException e = assertThrows(DendriteException.class, () -> IdxReader.read(missing));
        assertContains(e.getMessage(), missing.toString(), "not found");
    }
}

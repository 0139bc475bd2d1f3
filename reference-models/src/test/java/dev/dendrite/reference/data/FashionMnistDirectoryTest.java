package dev.dendrite.reference.data;

import static dev.dendrite.reference.data.IdxBytes.gzip;
import static dev.dendrite.reference.data.IdxBytes.images;
import static dev.dendrite.reference.data.IdxBytes.labels;
import static dev.dendrite.reference.data.IdxBytes.ramp;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dendrite.tensor.DendriteException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;

/** {@code --data DIR}: tiny Fashion-MNIST-shaped files written here, and every way the directory can be wrong. */
class FashionMnistDirectoryTest {
    private static final int PIXELS = 28 * 28;

    @TempDir
    Path dir;

    private final byte[] trainPixels = ramp(3 * PIXELS);
    private final byte[] testPixels = ramp(2 * PIXELS + 100);

    /** 3 train and 2 test examples; the train files plain, the test files gzip'd, as a user might mix them. */
    private void writeAll() throws IOException {
        Files.write(dir.resolve("train-images-idx3-ubyte"), images(3, 28, 28, trainPixels));
        Files.write(dir.resolve("train-labels-idx1-ubyte"), labels((byte) 9, (byte) 0, (byte) 4));
        Files.write(dir.resolve("t10k-images-idx3-ubyte.gz"),
                gzip(images(2, 28, 28, Arrays.copyOfRange(testPixels, 100, testPixels.length))));
        Files.write(dir.resolve("t10k-labels-idx1-ubyte.gz"), gzip(labels((byte) 1, (byte) 7)));
    }

    private static float normalised(byte pixel) {
        return ((pixel & 0xff) / 255f - 0.2860f) / 0.3530f;
    }

    private static void assertContains(String message, String... parts) {
        for (String p : parts) {
            assertTrue(message.contains(p), () -> "'" + message + "' should contain '" + p + "'");
        }
    }

    @Test
    void loadsADirectoryWithExactValues() throws IOException {
        writeAll();
        FashionMnist data = FashionMnist.load(dir);
        assertEquals(new Source(Source.Kind.DIRECTORY, dir.toString()), data.source());
        assertEquals("Fashion-MNIST (3 train / 2 test, --data " + dir + ")", data.description());
        assertEquals("Fashion-MNIST train (3, --data " + dir + ")", data.train().description());
        assertEquals("Fashion-MNIST test (2, --data " + dir + ")", data.test().description());

        assertArrayEquals(new long[] {3, PIXELS}, data.train().features().shape());
        assertEquals(DataType.FLOAT, data.train().features().dataType());
        assertEquals(DataType.INT64, data.train().labels().dataType());
        assertArrayEquals(new long[] {9, 0, 4}, data.train().labels().toLongVector());
        assertArrayEquals(new long[] {1, 7}, data.test().labels().toLongVector());

        float[] x = data.train().features().reshape(3L * PIXELS).toFloatVector();
        for (int i = 0; i < x.length; i++) {
            assertEquals(normalised(trainPixels[i]), x[i], 1e-6f, "train pixel " + i);
        }
        float[] t = data.test().features().reshape(2L * PIXELS).toFloatVector();
        for (int i = 0; i < t.length; i++) {
            assertEquals(normalised(testPixels[100 + i]), t[i], 1e-6f, "test pixel " + i);
        }
        assertEquals(normalised((byte) 0), x[0], 1e-6f);
        assertEquals((1f - 0.2860f) / 0.3530f, x[255], 1e-6f);
    }

    @Test
    void missingDirectoryNamesThePathAndTheFilesExpected() {
        Path missing = dir.resolve("no-such-dir");
        DendriteException e = assertThrows(DendriteException.class, () -> FashionMnist.load(missing));
        assertContains(e.getMessage(), "--data directory " + missing, "does not exist", "train-images-idx3-ubyte[.gz]",
                "train-labels-idx1-ubyte[.gz]", "t10k-images-idx3-ubyte[.gz]", "t10k-labels-idx1-ubyte[.gz]");
    }

    @Test
    void aFileInsteadOfADirectoryIsRejected() throws IOException {
        Path file = Files.write(dir.resolve("a-file"), new byte[1]);
        DendriteException e = assertThrows(DendriteException.class, () -> FashionMnist.load(file));
        assertContains(e.getMessage(), file.toString(), "not a directory");
    }

    @Test
    void missingFilesAreAllListed() throws IOException {
        writeAll();
        Files.delete(dir.resolve("t10k-labels-idx1-ubyte.gz"));
        Files.delete(dir.resolve("train-images-idx3-ubyte"));
        DendriteException e = assertThrows(DendriteException.class, () -> FashionMnist.load(dir));
        String m = e.getMessage();
        assertContains(m, dir.toString(), "has no train-images-idx3-ubyte[.gz], t10k-labels-idx1-ubyte[.gz];");
        assertFalse(m.contains("has no train-labels"), m);
    }

    @Test
    void wrongImageSizeNamesTheFile() throws IOException {
        writeAll();
        Path images = Files.write(dir.resolve("train-images-idx3-ubyte"), images(3, 27, 28, new byte[3 * 27 * 28]));
        DendriteException e = assertThrows(DendriteException.class, () -> FashionMnist.load(dir));
        assertContains(e.getMessage(), images.toString(), "[N, 28, 28]", "[3, 27, 28]");
    }

    @Test
    void labelOutOfRangeNamesTheFile() throws IOException {
        writeAll();
        Path labels = Files.write(dir.resolve("train-labels-idx1-ubyte"), labels((byte) 9, (byte) 10, (byte) 0));
        DendriteException e = assertThrows(DendriteException.class, () -> FashionMnist.load(dir));
        assertContains(e.getMessage(), labels.toString(), "label 10 is not a class", "0..9");
    }

    @Test
    void countMismatchNamesBothFiles() throws IOException {
        writeAll();
        Files.write(dir.resolve("train-labels-idx1-ubyte"), labels((byte) 1, (byte) 2));
        DendriteException e = assertThrows(DendriteException.class, () -> FashionMnist.load(dir));
        assertContains(e.getMessage(), "train-images-idx3-ubyte has 3 images", "train-labels-idx1-ubyte has 2 labels");
    }

    @Test
    void corruptFileInDirectoryIsReportedWithItsPath() throws IOException {
        writeAll();
        Path bad = Files.write(dir.resolve("t10k-images-idx3-ubyte.gz"), new byte[] {0x1f, (byte) 0x8b, 1, 2});
        DendriteException e = assertThrows(DendriteException.class, () -> FashionMnist.load(dir));
        assertContains(e.getMessage(), bad.toString(), "gzip");
    }

    @Test
    void withoutDataOrSystemCopyTheEmbeddedSubsetIsUsed() {
        FashionMnist data = FashionMnist.load(null, dir.resolve("not-installed"));
        assertEquals(Source.Kind.EMBEDDED, data.source().kind());
        assertEquals(10000, data.train().size());
    }

    @Test
    void anInstalledSystemCopyIsPreferredToTheSubset() throws IOException {
        writeAll();
        FashionMnist data = FashionMnist.load(null, dir);
        assertEquals(new Source(Source.Kind.SYSTEM, dir.toString()), data.source());
        assertEquals("Fashion-MNIST (3 train / 2 test, " + dir + ")", data.description());
    }

    @Test
    void dataWinsOverTheSystemCopy() throws IOException {
        writeAll();
        Path other = dir.resolve("other");
        DendriteException e = assertThrows(DendriteException.class, () -> FashionMnist.load(other, dir));
        assertContains(e.getMessage(), "--data directory " + other);
    }
}

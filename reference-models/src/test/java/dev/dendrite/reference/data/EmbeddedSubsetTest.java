package dev.dendrite.reference.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.dendrite.data.ArrayDataset;
import dev.dendrite.data.Batch;
import dev.dendrite.testkit.Compare;
import java.io.InputStream;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The subset bundled in the jar: shapes, balance, normalisation, and what it says it is. */
class EmbeddedSubsetTest {
    private static FashionMnist data;

    @BeforeAll
    static void load() {
        data = FashionMnist.embedded();
    }

    private static IdxArray raw(String file) {
        String resource = "/datasets/fashion-mnist-subset/" + file + ".gz";
        InputStream in = EmbeddedSubsetTest.class.getResourceAsStream(resource);
        assertNotNull(in, resource);
        return IdxReader.read(in, resource);
    }

    private static long[] perClass(ArrayDataset split) {
        long[] counts = new long[10];
        for (long label : split.labels().toLongVector()) {
            counts[(int) label]++;
        }
        return counts;
    }

    @Test
    void saysItIsTheEmbeddedSubset() {
        assertEquals(new Source(Source.Kind.EMBEDDED, "bundled in dendrite-reference-models"), data.source());
        assertEquals("Fashion-MNIST embedded subset (10000 train / 2000 test, bundled in dendrite-reference-models)",
                data.description());
        assertEquals("Fashion-MNIST embedded subset train (10000, bundled in dendrite-reference-models)",
                data.train().description());
        assertEquals("Fashion-MNIST embedded subset test (2000, bundled in dendrite-reference-models)",
                data.test().description());
    }

    @Test
    void shapesAndTypes() {
        assertArrayEquals(new long[] {10000, 784}, data.train().features().shape());
        assertArrayEquals(new long[] {10000}, data.train().labels().shape());
        assertArrayEquals(new long[] {2000, 784}, data.test().features().shape());
        assertArrayEquals(new long[] {2000}, data.test().labels().shape());
        assertEquals(DataType.FLOAT, data.train().features().dataType());
        assertEquals(DataType.INT64, data.train().labels().dataType());
        assertEquals(DataType.INT64, data.test().labels().dataType());
    }

    @Test
    void classBalanced() {
        long[] train = new long[10];
        Arrays.fill(train, 1000);
        long[] test = new long[10];
        Arrays.fill(test, 200);
        assertArrayEquals(train, perClass(data.train()));
        assertArrayEquals(test, perClass(data.test()));
    }

    @Test
    void normalisedWithTheFullSetStatistics() {
        INDArray x = data.train().features();
        Compare.assertFinite("train features", x); // minNumber() and maxNumber() would skip a NaN
        assertEquals(0, x.meanNumber().doubleValue(), 0.05);
        assertEquals(1, x.stdNumber().doubleValue(), 0.05);
        assertEquals((0 - 0.2860) / 0.3530, x.minNumber().doubleValue(), 1e-5);
        assertEquals((1 - 0.2860) / 0.3530, x.maxNumber().doubleValue(), 1e-5);
        assertEquals(0, data.test().features().meanNumber().doubleValue(), 0.05);
    }

    @Test
    void pixelsEqualTheFormulaOnTheRawBytes() {
        INDArray pixels = raw("train-images-idx3-ubyte").values();
        // One spot-checked pixel, in the middle of the first image (an ankle boot).
        int value = pixels.getInt(0, 14, 14);
        assertEquals(217, value, "original train image 0, row 14, column 14");
        assertEquals((value / 255f - 0.2860f) / 0.3530f, data.train().features().getFloat(0, 14 * 28 + 14), 1e-6f);
        // And whole images at both ends of both splits.
        INDArray testPixels = raw("t10k-images-idx3-ubyte").values();
        checkImage(pixels, data.train().features(), 0);
        checkImage(pixels, data.train().features(), 9999);
        checkImage(testPixels, data.test().features(), 0);
        checkImage(testPixels, data.test().features(), 1999);
    }

    private static void checkImage(INDArray raw, INDArray features, long i) {
        int[] bytes = raw.slice(i).castTo(DataType.INT32).reshape(784).toIntVector();
        float[] got = features.getRow(i).toFloatVector();
        for (int p = 0; p < 784; p++) {
            assertEquals((bytes[p] / 255f - 0.2860f) / 0.3530f, got[p], 1e-6f, "image " + i + " pixel " + p);
        }
    }

    @Test
    void labelsAreTheStoredOnes() {
        long[] stored = raw("t10k-labels-idx1-ubyte").values().castTo(DataType.INT64).toLongVector();
        assertArrayEquals(stored, data.test().labels().toLongVector());
    }

    @Test
    void batchesComeOutOfIt() {
        Batch b = data.train().batch(new long[] {9999, 0, 42});
        assertArrayEquals(new long[] {3, 784}, b.features().shape());
        Compare.assertBitEqual("row 9999 as batch row 0", b.features().getRow(0), data.train().features().getRow(9999));
    }

    @Test
    void classNames() {
        assertEquals(10, FashionMnist.CLASS_NAMES.size());
        assertEquals("T-shirt/top", FashionMnist.className(0));
        assertEquals("Sneaker", FashionMnist.className(7));
        assertEquals("Ankle boot", FashionMnist.className(9));
    }
}

package dev.dendrite.reference.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.dendrite.testkit.Compare;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The full set from Debian's dataset-fashion-mnist. The package may be absent on a CI machine: its
 * directory's existence is the only assumption, everything else must hold.
 */
class SystemFashionMnistTest {
    private static FashionMnist full;

    @BeforeAll
    static void load() {
        assumeTrue(Files.isDirectory(FashionMnist.SYSTEM_DIR),
                FashionMnist.SYSTEM_DIR + " not installed (apt-get install dataset-fashion-mnist)");
        full = FashionMnist.load();
    }

    @Test
    void loadsTheFullSet() {
        assertEquals(new Source(Source.Kind.SYSTEM, "/usr/share/datasets/fashion-mnist"), full.source());
        assertEquals("Fashion-MNIST (full, 60000 train / 10000 test, /usr/share/datasets/fashion-mnist)",
                full.description());
        assertArrayEquals(new long[] {60000, 784}, full.train().features().shape());
        assertArrayEquals(new long[] {60000}, full.train().labels().shape());
        assertArrayEquals(new long[] {10000, 784}, full.test().features().shape());
        assertArrayEquals(new long[] {10000}, full.test().labels().shape());
    }

    @Test
    void normalisationStatisticsAreThoseOfThisSet() {
        assertEquals(0, full.train().features().meanNumber().doubleValue(), 1e-3);
        assertEquals(1, full.train().features().stdNumber().doubleValue(), 1e-3);
    }

    @Test
    void asDataDirectoryItIsTheSame() {
        FashionMnist viaData = FashionMnist.load(FashionMnist.SYSTEM_DIR);
        assertEquals(Source.Kind.DIRECTORY, viaData.source().kind());
        assertEquals("Fashion-MNIST (full, 60000 train / 10000 test, --data /usr/share/datasets/fashion-mnist)",
                viaData.description());
        Compare.assertBitEqual("test labels", viaData.test().labels(), full.test().labels());
    }

    /** The subset is exactly the rule in its README: the first 1000 (200) of each class, in original order. */
    @Test
    void embeddedSubsetIsTheFirstOfEachClass() {
        FashionMnist subset = FashionMnist.embedded();
        check(full.train().labels().toLongVector(), 1000, full, subset, true);
        check(full.test().labels().toLongVector(), 200, full, subset, false);
    }

    private static void check(long[] labels, int perClass, FashionMnist full, FashionMnist subset, boolean train) {
        int[] taken = new int[10];
        List<Long> picked = new ArrayList<>();
        for (int i = 0; i < labels.length; i++) {
            if (taken[(int) labels[i]]++ < perClass) {
                picked.add((long) i);
            }
        }
        long[] idx = picked.stream().mapToLong(Long::longValue).toArray();
        var fullSplit = train ? full.train() : full.test();
        var subSplit = train ? subset.train() : subset.test();
        var expected = fullSplit.batch(idx);
        Compare.assertBitEqual("labels", subSplit.labels(), expected.labels());
        Compare.assertBitEqual("features", subSplit.features(), expected.features());
    }
}

package dev.dendrite.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.dendrite.random.Rng;
import dev.dendrite.tensor.DendriteException;
import dev.dendrite.testkit.Compare;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class DataLoaderTest {
    /** Example i has feature row [i, 10i] and label i, so batches show which examples they hold. */
    private static ArrayDataset numbered(int n) {
        INDArray x = Nd4j.create(DataType.FLOAT, n, 2);
        long[] y = new long[n];
        for (int i = 0; i < n; i++) {
            x.putScalar(i, 0, i);
            x.putScalar(i, 1, 10 * i);
            y[i] = i;
        }
        return new ArrayDataset(x, Nd4j.createFromArray(y), "numbered");
    }

    private static List<long[]> epoch(DataLoader loader) {
        List<long[]> out = new ArrayList<>();
        try (DataLoader.Epoch e = loader.epoch()) {
            while (e.hasNext()) {
                Batch b = e.next();
                Compare.assertBitEqual("features and labels stay paired", b.features().getColumn(1),
                        b.labels().castTo(DataType.FLOAT).mul(10));
                out.add(b.labels().toLongVector());
            }
        }
        return out;
    }

    @Test
    void batchesInOrderWithAFinalPartialBatch() {
        List<long[]> batches = epoch(new DataLoader(numbered(10), 4, false, false, null));
        assertEquals(3, batches.size());
        assertEquals(List.of(0L, 1L, 2L, 3L), box(batches.get(0)));
        assertEquals(List.of(8L, 9L), box(batches.get(2)));
    }

    @Test
    void dropLastSkipsThePartialBatch() {
        DataLoader loader = new DataLoader(numbered(10), 4, false, true, null);
        assertEquals(2, loader.batches());
        assertEquals(2, epoch(loader).size());
    }

    @Test
    void shufflingIsAPermutationFixedByTheSeed() {
        List<Long> a = flat(epoch(new DataLoader(numbered(50), 8, true, false, new Rng(3))));
        List<Long> b = flat(epoch(new DataLoader(numbered(50), 8, true, false, new Rng(3))));
        List<Long> c = flat(epoch(new DataLoader(numbered(50), 8, true, false, new Rng(4))));
        assertEquals(a, b);
        assertNotEquals(a, c);
        assertEquals(50, new TreeSet<>(a).size(), "every example exactly once");
        DataLoader twoEpochs = new DataLoader(numbered(50), 8, true, false, new Rng(3));
        assertNotEquals(flat(epoch(twoEpochs)), flat(epoch(twoEpochs)), "a new order each epoch");
    }

    @Test
    void badArgumentsAreRefused() {
        assertThrows(DendriteException.class, () -> new DataLoader(numbered(3), 0, false, false, null));
        assertThrows(DendriteException.class, () -> new DataLoader(numbered(3), 2, true, false, null));
        DendriteException e = assertThrows(DendriteException.class,
                () -> new ArrayDataset(Nd4j.zeros(3, 2), Nd4j.zeros(4), "bad"));
        assertEquals("bad: features [3, 2] and labels [4] must have the same first dim", e.getMessage());
    }

    private static List<Long> box(long[] v) {
        List<Long> l = new ArrayList<>();
        for (long x : v) {
            l.add(x);
        }
        return l;
    }

    private static List<Long> flat(List<long[]> batches) {
        List<Long> l = new ArrayList<>();
        batches.forEach(b -> l.addAll(box(b)));
        return l;
    }
}

package dev.dendrite.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.dendrite.tensor.DendriteException;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

class SplitsTest {
    private static ArrayDataset ids(int n) {
        long[] y = new long[n];
        for (int i = 0; i < n; i++) {
            y[i] = i;
        }
        return new ArrayDataset(Nd4j.createFromArray(y).reshape(n, 1).castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT),
                Nd4j.createFromArray(y), "ids");
    }

    private static long[] all(Dataset d) {
        long[] which = new long[(int) d.size()];
        for (int i = 0; i < which.length; i++) {
            which[i] = i;
        }
        return d.batch(which).labels().toLongVector();
    }

    @Test
    void holdsOutADisjointSeededFraction() {
        Dataset[] a = Splits.holdOut(ids(100), 0.2, 7);
        Dataset[] b = Splits.holdOut(ids(100), 0.2, 7);
        assertEquals(80, a[0].size());
        assertEquals(20, a[1].size());
        assertArrayEquals(all(a[1]), all(b[1]), "the same seed holds out the same examples");
        TreeSet<Long> union = new TreeSet<>();
        for (long v : all(a[0])) {
            union.add(v);
        }
        for (long v : all(a[1])) {
            union.add(v);
        }
        assertEquals(100, union.size(), "every example on exactly one side");
    }

    @Test
    void refusesEmptySides() {
        assertThrows(DendriteException.class, () -> Splits.holdOut(ids(10), 0.01, 1));
        assertThrows(DendriteException.class, () -> Splits.holdOut(ids(10), 1.0, 1));
    }
}

package dev.dendrite.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dendrite.random.Rng;
import dev.dendrite.tensor.DendriteException;
import dev.dendrite.testkit.Compare;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class KMeansTest {

    @Test
    void findsTheCentresOfSeparatedBlobs() {
        Blobs b = new Blobs(5, 60, 3, 0.5, 1);
        KMeans.Result r = KMeans.fit(b.points, 5, 50, new Rng(2));
        // Every true centre has a centroid within 0.3 (the mean of 60 points with σ 0.5 is off by ~0.06).
        INDArray d = SquaredDistances.of(b.centres, r.centroids());
        assertTrue(Compare.maxAbs("nearest centroid distances²", d.min(1)) < 0.3 * 0.3,
                "nearest centroid distances² " + d.min(1));
        assertEquals(300, r.sizes().sumNumber().longValue());
        assertTrue(r.iterations() < 50, "Lloyd converged: " + r.iterations());
        // Each cluster holds exactly one blob: its members all carry the same true label, and no two clusters
        // share a blob (so the 5 clusters are the 5 blobs, one to one).
        Map<Long, Long> blobOfCluster = new HashMap<>();
        Map<Long, Long> clusterOfBlob = new HashMap<>();
        long[] members = new long[5];
        for (int i = 0; i < 300; i++) {
            long cluster = r.assignment().getLong(i);
            long blob = b.labels.getLong(i);
            members[(int) cluster]++;
            Long seen = blobOfCluster.putIfAbsent(cluster, blob);
            assertTrue(seen == null || seen == blob,
                    "cluster " + cluster + " holds points of blobs " + seen + " and " + blob + " (point " + i + ")");
            Long other = clusterOfBlob.putIfAbsent(blob, cluster);
            assertTrue(other == null || other == cluster,
                    "blob " + blob + " is split between clusters " + other + " and " + cluster + " (point " + i + ")");
        }
        assertEquals(5, blobOfCluster.size(), "clusters in use");
        assertEquals(5, clusterOfBlob.size(), "blobs covered");
        INDArray sizes = r.sizes();
        for (int j = 0; j < 5; j++) {
            assertEquals(60, sizes.getLong(j));
            assertEquals(members[j], sizes.getLong(j), "size of cluster " + j + " vs its assigned points");
        }
        // The radius of a blob of σ 0.5 in 3-D: E‖x−c‖² = 3·0.25.
        INDArray msr = r.meanSquaredRadius();
        assertEquals(0.75, msr.meanNumber().doubleValue(), 0.12);
        assertEquals(r.inertia(), r.squaredRadius().sumNumber().doubleValue(), 1e-9);
    }

    @Test
    void theSameSeedGivesTheSameClustering() {
        Blobs b = new Blobs(4, 30, 2, 2.0, 3);
        KMeans.Result first = KMeans.fit(b.points, 4, 20, new Rng(9));
        KMeans.Result again = KMeans.fit(b.points, 4, 20, new Rng(9));
        Compare.assertBitEqual("centroids", again.centroids(), first.centroids());
        Compare.assertBitEqual("assignment", again.assignment(), first.assignment());
    }

    @Test
    void duplicatePointsDoNotBreakSeedingOrEmptyClusters() {
        INDArray x = Nd4j.ones(DataType.DOUBLE, 10, 2);
        KMeans.Result r = KMeans.fit(x, 3, 5, new Rng(1));
        Compare.assertBitEqual("centroids", r.centroids(), Nd4j.ones(DataType.DOUBLE, 3, 2));
        assertEquals(0.0, r.inertia(), 0.0);
        // No spread to measure anywhere: every width falls back to the (tiny, positive) overall figure.
        Compare.assertFinite("mean squared radius", r.meanSquaredRadius()); // minNumber() would skip a NaN
        assertTrue(r.meanSquaredRadius().minNumber().doubleValue() > 0);
    }

    @Test
    void badInputIsRefusedWithTheReason() {
        INDArray x = Nd4j.rand(DataType.DOUBLE, 4, 2);
        assertEquals("k-means: need 1 <= k <= n, got k=5 for 4 points",
                assertThrows(DendriteException.class, () -> KMeans.fit(x, 5, 10, new Rng(1))).getMessage());
        assertEquals("k-means: data must be [n, d], got rank 1",
                assertThrows(DendriteException.class, () -> KMeans.fit(x.reshape(8), 2, 10, new Rng(1)))
                        .getMessage());
        assertEquals("k-means: maxIterations must be positive, got 0",
                assertThrows(DendriteException.class, () -> KMeans.fit(x, 2, 0, new Rng(1))).getMessage());
    }
}

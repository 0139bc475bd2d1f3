package dev.dendrite.kernel;

import dev.dendrite.random.Rng;
import dev.dendrite.tensor.DendriteException;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Lloyd's k-means with k-means++ seeding (Arthur and Vassilvitskii 2007). Every pass is three native
 * steps: the [n, k] squared distances by one GEMM, the nearest centre by argmin, the new centroids by
 * (one-hot)ᵀ·X. Java only loops over the k centres (seeding and empty clusters), never over elements.
 */
public final class KMeans {
    private KMeans() {}

    /**
     * @param centroids [k, d]
     * @param assignment [n] int64, the nearest centroid of each point
     * @param sizes [k] members per cluster
     * @param squaredRadius [k] the sum of members' squared distances to their centroid
     * @param inertia the sum of squared distances of points to their centroid
     * @param iterations the Lloyd passes run (fewer than asked when the assignment stopped changing)
     */
    public record Result(INDArray centroids, INDArray assignment, INDArray sizes, INDArray squaredRadius,
            double inertia, int iterations) {

        /**
         * Each cluster's mean squared distance to its centroid; clusters of fewer than two members (whose
         * spread says nothing) get the overall mean instead.
         */
        public INDArray meanSquaredRadius() {
            double n = sizes.sumNumber().doubleValue();
            double overall = Math.max(inertia / n, Double.MIN_NORMAL);
            double[] size = sizes.toDoubleVector();
            double[] sum = squaredRadius.toDoubleVector();
            double[] out = new double[size.length];
            for (int j = 0; j < out.length; j++) {
                out[j] = size[j] >= 2 && sum[j] > 0 ? sum[j] / size[j] : overall;
            }
            return Nd4j.createFromArray(out);
        }
    }

    /** Clusters the rows of {@code x} [n, d] (n ≥ k) into k groups. */
    public static Result fit(INDArray x, int k, int maxIterations, Rng rng) {
        if (x.rank() != 2) {
            throw new DendriteException("k-means: data must be [n, d], got rank " + x.rank());
        }
        long n = x.size(0);
        if (k <= 0 || n < k) {
            throw new DendriteException("k-means: need 1 <= k <= n, got k=" + k + " for " + n + " points");
        }
        if (maxIterations <= 0) {
            throw new DendriteException("k-means: maxIterations must be positive, got " + maxIterations);
        }
        if (!x.dataType().isFPType()) {
            throw new DendriteException("k-means: data must be floating point, got " + x.dataType());
        }
        INDArray xx = SquaredDistances.rowNorms(x);
        INDArray c = seed(x, xx, k, rng);
        INDArray assignment = null;
        INDArray dist = null;
        int it = 0;
        while (it < maxIterations) {
            dist = SquaredDistances.of(x, xx, c);
            INDArray next = Nd4j.argMin(dist, 1);
            it++;
            boolean stable = assignment != null && next.equals(assignment);
            assignment = next;
            c = centroids(x, assignment, k, c);
            if (stable) {
                break;
            }
        }
        dist = SquaredDistances.of(x, xx, c);
        assignment = Nd4j.argMin(dist, 1);
        INDArray onehot = ClassTargets.oneHot(assignment, k, x.dataType());
        INDArray nearest = dist.min(1); // [n]
        INDArray sizes = onehot.sum(0);
        INDArray radius = onehot.transpose().mmul(nearest.reshape(n, 1)).reshape(k);
        return new Result(c, assignment, sizes, radius, nearest.sumNumber().doubleValue(), it);
    }

    /**
     * Greedy k-means++ (as scikit-learn seeds): each next seed is the best, by the potential Σ min‖x − c‖² it
     * leaves, of 2 + ⌊ln k⌋ points drawn with probability proportional to their squared distance to the
     * seeds so far. Plain k-means++ puts two seeds in one cluster often enough to matter when clusters
     * differ in how isolated they are.
     */
    private static INDArray seed(INDArray x, INDArray xx, int k, Rng rng) {
        long n = x.size(0);
        long d = x.size(1);
        int trials = 2 + (int) Math.log(k);
        INDArray c = Nd4j.create(x.dataType(), k, d);
        c.getRow(0).assign(x.getRow(rng.nextInt((int) n)));
        INDArray nearest = SquaredDistances.of(x, xx, c.getRow(0).reshape(1, d)).reshape(n);
        for (int j = 1; j < k; j++) {
            // Draw by binary search in the cumulative mass (ND4J's comparison-and-count would cost a bool
            // array and a cast per draw, ~10 ms each).
            double[] cum = nearest.castTo(DataType.DOUBLE).cumsum(0).toDoubleVector();
            double total = cum[cum.length - 1];
            int[] picks = new int[trials];
            for (int t = 0; t < trials; t++) {
                if (total > 0) {
                    int at = java.util.Arrays.binarySearch(cum, rng.nextDouble() * total);
                    picks[t] = Math.min((int) n - 1, at >= 0 ? at + 1 : -at - 1);
                } else {
                    picks[t] = rng.nextInt((int) n); // every point already is a seed
                }
            }
            // All candidates' distances in one GEMM [n, trials]; min(d, nearest) = nearest + min(d − nearest, 0)
            // with column-vector broadcasts; each candidate's potential is a column sum.
            INDArray col = nearest.reshape(n, 1);
            INDArray candidates = SquaredDistances.of(x, xx, Nd4j.pullRows(x, 1, picks)).subiColumnVector(col);
            candidates = Transforms.min(candidates, 0.0, false).addiColumnVector(col);
            int best = Nd4j.argMin(candidates.sum(0)).getInt(0);
            c.getRow(j).assign(x.getRow(picks[best]));
            nearest = candidates.getColumn(best).dup().reshape(n);
        }
        return c;
    }

    /** The mean of each cluster's members; a cluster left empty keeps its previous centroid. */
    private static INDArray centroids(INDArray x, INDArray assignment, int k, INDArray previous) {
        INDArray onehot = ClassTargets.oneHot(assignment, k, x.dataType());
        INDArray sums = onehot.transpose().mmul(x); // [k, d]
        double[] sizes = onehot.sum(0).toDoubleVector();
        INDArray next = previous.dup();
        for (int j = 0; j < k; j++) {
            if (sizes[j] > 0) {
                next.getRow(j).assign(sums.getRow(j).divi(sizes[j]));
            }
        }
        return next;
    }
}

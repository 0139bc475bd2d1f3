package dev.dendrite.kernel.elm;

import dev.dendrite.data.Batch;
import dev.dendrite.data.DataLoader;
import dev.dendrite.data.Dataset;
import dev.dendrite.kernel.ClassTargets;
import dev.dendrite.kernel.linalg.Cholesky;
import dev.dendrite.nn.Layer;
import dev.dendrite.nn.Sequential;
import dev.dendrite.tensor.DendriteException;
import dev.dendrite.tensor.GradMode;
import dev.dendrite.tensor.Shapes;
import dev.dendrite.tensor.Tensor;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The extreme learning machine's training (Huang, Zhu and Siew 2004, 2006) as a strategy for any
 * {@link Sequential} whose body is frozen and whose last layer is linear (a {@code weight} [out, in] and
 * optionally a {@code bias} [out], as {@code dense} has): the body's features H of the whole training set are
 * reduced to the normal equations, {@code (HᵀH + λI)·β = HᵀT}, which are solved once, exactly, and β is
 * written into the head. T is the one-hot class matrix for int64 labels, the labels themselves for float
 * regression targets. The bias is not penalised.
 *
 * <p>HᵀH is accumulated batch by batch (GEMMs in the model's dtype, summed in float64), so memory is
 * O(features²), not O(examples × features); the solve is a float64 Cholesky.
 *
 * @param ridge λ ≥ 0 (λ = 0 is plain least squares and needs HᵀH to be positive definite)
 * @param batchSize examples per forward pass of the body
 */
public record RidgeReadout(double ridge, int batchSize) {

    public RidgeReadout {
        if (!(ridge >= 0) || Double.isInfinite(ridge)) {
            throw new DendriteException("ridge readout: ridge must be finite and >= 0, got " + ridge);
        }
        if (batchSize <= 0) {
            throw new DendriteException("ridge readout: batchSize must be positive, got " + batchSize);
        }
    }

    /**
     * What the fit did.
     *
     * @param trainMse the mean squared error of the fitted head on the training targets (per output)
     * @param features the body's output width
     * @param featureSeconds time spent running the body and accumulating HᵀH
     * @param solveSeconds time spent in the Cholesky solve
     */
    public record Fit(long examples, long features, long outputs, double trainMse, double featureSeconds,
            double solveSeconds) {
        public double seconds() {
            return featureSeconds + solveSeconds;
        }
    }

    /** Fits the head of {@code model} on {@code data}; the body's parameters are not touched. */
    public Fit fit(Sequential model, Dataset data) {
        List<Layer> layers = model.layers();
        if (layers.isEmpty()) {
            throw new DendriteException("ridge readout: the model has no layers");
        }
        Layer head = layers.get(layers.size() - 1);
        Tensor weight = head.parameters().get("weight");
        Tensor bias = head.parameters().get("bias");
        if (weight == null || weight.rank() != 2) {
            throw new DendriteException("ridge readout: the last layer (" + head.kind() + ") must be linear, with a "
                    + "'weight' [out, in]; it has " + head.parameters().keySet());
        }
        if (head.parameters().size() != (bias == null ? 1 : 2)) {
            throw new DendriteException("ridge readout: the last layer (" + head.kind() + ") must have only 'weight'"
                    + " and 'bias', it has " + head.parameters().keySet());
        }
        long out = weight.size(0);
        long in = weight.size(1);
        long cols = in + (bias == null ? 0 : 1);
        Sequential body = new Sequential(layers.subList(0, layers.size() - 1), null);
        boolean wasTraining = model.isTraining();
        model.train(false);
        long started = System.nanoTime();
        INDArray gram = Nd4j.zeros(DataType.DOUBLE, cols, cols);
        INDArray cross = Nd4j.zeros(DataType.DOUBLE, cols, out);
        double targetSquares = 0;
        long n = 0;
        try (var off = GradMode.off(); DataLoader.Epoch epoch = new DataLoader(data, batchSize, false, false, null)
                .epoch()) {
            while (epoch.hasNext()) {
                Batch b = epoch.next();
                INDArray h = body.forward(Tensor.of(b.features())).data();
                if (h.rank() != 2 || h.size(1) != in) {
                    throw new DendriteException("ridge readout: the body's output is " + Shapes.str(h.shape())
                            + ", the head expects [batch, " + in + "]");
                }
                INDArray ha = bias == null ? h : Nd4j.hstack(h, Nd4j.ones(h.dataType(), h.size(0), 1));
                INDArray t = targets(b.labels(), out, h.dataType());
                gram.addi(ha.transpose().mmul(ha).castTo(DataType.DOUBLE));
                cross.addi(ha.transpose().mmul(t).castTo(DataType.DOUBLE));
                targetSquares += t.mul(t).sumNumber().doubleValue();
                n += b.size();
            }
        } finally {
            model.train(wasTraining);
        }
        if (n == 0) {
            throw new DendriteException("ridge readout: the dataset is empty");
        }
        if (gram.neq(gram).any()) {
            throw new DendriteException("ridge readout: the body's features contain NaN");
        }
        double featureSeconds = (System.nanoTime() - started) / 1e9;
        started = System.nanoTime();
        INDArray penalty = Nd4j.valueArrayOf(new long[] {cols}, ridge, DataType.DOUBLE);
        if (bias != null) {
            penalty.putScalar(cols - 1, 0.0);
        }
        INDArray system = gram.dup();
        system.addi(Nd4j.diag(penalty));
        INDArray beta = Cholesky.factor(system).solve(cross); // [cols, out]
        double solveSeconds = (System.nanoTime() - started) / 1e9;
        weight.data().assign(beta.get(NDArrayIndex.interval(0, in), NDArrayIndex.all()).transpose()
                .castTo(weight.dtype()));
        if (bias != null) {
            bias.data().assign(beta.getRow(cols - 1).castTo(bias.dtype()));
        }
        // ‖Hβ − T‖² = βᵀ(HᵀH)β − 2 βᵀ(HᵀT) + ‖T‖², from what is already accumulated.
        double residual = traceOf(beta.transpose().mmul(gram).mmul(beta)) - 2 * traceOf(beta.transpose().mmul(cross))
                + targetSquares;
        return new Fit(n, in, out, Math.max(0, residual) / (n * out), featureSeconds, solveSeconds);
    }

    private static double traceOf(INDArray square) {
        return Nd4j.diag(square).sumNumber().doubleValue();
    }

    /** One-hot rows for class ids, the values themselves for float targets. */
    private static INDArray targets(INDArray labels, long out, DataType type) {
        if (labels.dataType().isIntType()) {
            if (labels.rank() != 1) {
                throw new DendriteException("ridge readout: class labels must be [batch], got "
                        + Shapes.str(labels.shape()));
            }
            long min = labels.minNumber().longValue();
            long max = labels.maxNumber().longValue();
            if (min < 0 || max >= out) {
                throw new DendriteException("ridge readout: class ids must be in [0, " + out + "), found "
                        + (min < 0 ? min : max));
            }
            return ClassTargets.oneHot(labels, (int) out, type);
        }
        INDArray t = labels.rank() == 1 ? labels.reshape(labels.length(), 1) : labels;
        if (t.rank() != 2 || t.size(1) != out) {
            throw new DendriteException("ridge readout: regression targets must be [batch, " + out + "], got "
                    + Shapes.str(labels.shape()));
        }
        return t.castTo(type);
    }
}

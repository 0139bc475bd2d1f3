package dev.dendrite.ops;

import dev.dendrite.onnx.OnnxBuilder;
import dev.dendrite.tensor.Function;
import dev.dendrite.tensor.ShapeException;
import dev.dendrite.tensor.Shapes;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.random.impl.BernoulliDistribution;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Inverted dropout: zeroes each element with probability p and scales the rest by 1/(1−p), so eval
 * mode is the identity. The mask comes from a seeded native generator: the same seed, the same mask.
 */
final class Dropout extends Function {
    private final double p;
    private final long seed;
    private INDArray scaledMask;

    Dropout(double p, long seed) {
        if (!(p >= 0 && p < 1)) {
            throw new ShapeException("dropout: p must be in [0, 1), got " + p);
        }
        this.p = p;
        this.seed = seed;
    }

    @Override
    public String name() {
        return "dropout";
    }

    @Override
    protected INDArray[] forward(INDArray[] in) {
        Shapes.requireFloating("dropout", in[0]);
        INDArray mask = Nd4j.createUninitialized(in[0].dataType(), in[0].shape());
        try (Random rng = Nd4j.getRandomFactory().getNewRandomInstance(seed)) {
            Nd4j.getExecutioner().exec(new BernoulliDistribution(mask, 1.0 - p), rng);
        } catch (Exception e) {
            throw new IllegalStateException("dropout: could not release the native random generator", e);
        }
        scaledMask = mask.muli(1.0 / (1.0 - p));
        return new INDArray[] {in[0].mul(scaledMask)};
    }

    @Override
    protected INDArray[] backward(INDArray[] g) {
        return new INDArray[] {needsGrad(0) ? g[0].mul(scaledMask) : null};
    }

    /** Export describes inference, where inverted dropout is the identity. */
    @Override
    public void toOnnx(OnnxBuilder onnx, String[] inputs, String[] outputs) {
        onnx.node("Identity", inputs, outputs);
    }
}

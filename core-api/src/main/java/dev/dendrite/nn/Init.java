package dev.dendrite.nn;

import dev.dendrite.random.Rng;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.random.impl.GaussianDistribution;
import org.nd4j.linalg.api.ops.random.impl.UniformDistribution;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Weight initialisers, on native generators seeded from the framework's {@link Rng}. Fan-in and fan-out
 * follow PyTorch: for a weight [out, in, k...], fanIn = in·Πk and fanOut = out·Πk. Shared by every
 * plugin, hence in the core.
 */
public final class Init {
    private Init() {}

    public static INDArray zeros(DataType type, long... shape) {
        return Nd4j.zeros(type, shape);
    }

    public static INDArray ones(DataType type, long... shape) {
        return Nd4j.ones(type, shape);
    }

    public static INDArray uniform(Rng rng, DataType type, double low, double high, long... shape) {
        INDArray a = Nd4j.createUninitialized(type, shape);
        if (a.length() > 0) {
            try (Random r = Nd4j.getRandomFactory().getNewRandomInstance(rng.nextLong())) {
                Nd4j.getExecutioner().exec(new UniformDistribution(a, low, high), r);
            } catch (Exception e) {
                throw new IllegalStateException("cannot release a native random generator", e);
            }
        }
        return a;
    }

    public static INDArray normal(Rng rng, DataType type, double mean, double std, long... shape) {
        INDArray a = Nd4j.createUninitialized(type, shape);
        if (a.length() > 0) {
            try (Random r = Nd4j.getRandomFactory().getNewRandomInstance(rng.nextLong())) {
                Nd4j.getExecutioner().exec(new GaussianDistribution(a, mean, std), r);
            } catch (Exception e) {
                throw new IllegalStateException("cannot release a native random generator", e);
            }
        }
        return a;
    }

    /** Glorot and Bengio 2010: U(±√(6/(fanIn+fanOut))). */
    public static INDArray xavierUniform(Rng rng, DataType type, long... shape) {
        double bound = Math.sqrt(6.0 / (fanIn(shape) + fanOut(shape)));
        return uniform(rng, type, -bound, bound, shape);
    }

    public static INDArray xavierNormal(Rng rng, DataType type, long... shape) {
        return normal(rng, type, 0, Math.sqrt(2.0 / (fanIn(shape) + fanOut(shape))), shape);
    }

    /** He et al. 2015 for ReLU: U(±√(6/fanIn)). */
    public static INDArray kaimingUniform(Rng rng, DataType type, long... shape) {
        double bound = Math.sqrt(6.0 / fanIn(shape));
        return uniform(rng, type, -bound, bound, shape);
    }

    public static INDArray kaimingNormal(Rng rng, DataType type, long... shape) {
        return normal(rng, type, 0, Math.sqrt(2.0 / fanIn(shape)), shape);
    }

    public static long fanIn(long[] shape) {
        return shape.length < 2 ? shape[0] : shape[1] * receptive(shape);
    }

    public static long fanOut(long[] shape) {
        return shape[0] * receptive(shape);
    }

    private static long receptive(long[] shape) {
        long r = 1;
        for (int i = 2; i < shape.length; i++) {
            r *= shape[i];
        }
        return r;
    }

    /** An initialiser chosen by name in a config: "xavier_uniform", "kaiming_normal", "zeros", ... */
    public static INDArray byName(String name, Rng rng, DataType type, long... shape) {
        return switch (name) {
            case "xavier_uniform", "glorot_uniform" -> xavierUniform(rng, type, shape);
            case "xavier_normal", "glorot_normal" -> xavierNormal(rng, type, shape);
            case "kaiming_uniform", "he_uniform" -> kaimingUniform(rng, type, shape);
            case "kaiming_normal", "he_normal" -> kaimingNormal(rng, type, shape);
            case "normal" -> normal(rng, type, 0, 0.01, shape);
            case "uniform" -> uniform(rng, type, -0.05, 0.05, shape);
            case "zeros" -> zeros(type, shape);
            case "ones" -> ones(type, shape);
            default -> throw new dev.dendrite.tensor.DendriteException("unknown initialiser '" + name
                    + "'; known: xavier_uniform, xavier_normal, kaiming_uniform, kaiming_normal, normal, uniform, "
                    + "zeros, ones");
        };
    }
}

package dev.dendrite.attention;

import dev.dendrite.nn.Init;
import dev.dendrite.ops.F;
import dev.dendrite.random.Rng;
import dev.dendrite.tensor.Tensor;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Random inputs and the plainly composed reference attention the primitive is checked against. */
final class TestData {
    private TestData() {}

    static INDArray normal(long seed, DataType type, long... shape) {
        return Init.normal(new Rng(seed), type, 0, 1, shape);
    }

    static Tensor leaf(long seed, long... shape) {
        return Tensor.leaf(normal(seed, DataType.DOUBLE, shape));
    }

    /** A bool mask from row-major values (1 = masked). */
    static Tensor bool(long[] shape, int... masked) {
        boolean[] b = new boolean[masked.length];
        for (int i = 0; i < b.length; i++) {
            b[i] = masked[i] != 0;
        }
        return Tensor.of(Nd4j.createFromArray(b).reshape(shape));
    }

    /** softmax(q·kᵀ·scale + bias)·v from F.matmul and F.softmax; bias nullable (float). */
    static Tensor reference(Tensor q, Tensor k, Tensor v, Tensor bias, double scale) {
        Tensor s = F.mul(F.matmul(q, F.transpose(k)), scale);
        if (bias != null) {
            s = F.add(s, bias);
        }
        return F.matmul(F.softmax(s, -1), v);
    }

    /** A bool mask as the 0/−∞ bias the reference adds. */
    static Tensor bias(Tensor bool, DataType type) {
        return Tensor.of(Nd.additive(bool.data(), type));
    }
}

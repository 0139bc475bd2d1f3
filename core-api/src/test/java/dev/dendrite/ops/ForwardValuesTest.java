package dev.dendrite.ops;

import static dev.dendrite.ops.TestTensors.assertShape;
import static dev.dendrite.ops.TestTensors.assertValues;
import static dev.dendrite.ops.TestTensors.constant;
import static dev.dendrite.ops.TestTensors.indices;
import static dev.dendrite.ops.TestTensors.mask;
import static dev.dendrite.ops.TestTensors.vector;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.dendrite.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** Forward results against numbers worked out by hand (or with a calculator) for small inputs. */
class ForwardValuesTest {
    private static final double EPS = 1e-12;
    private static final double LAMBDA = 1.0507009873554804934193349852946;
    private static final double ALPHA = 1.6732632423543772848170429916717;

    private static Tensor m23() {
        return constant(new double[] {1, 2, 3, 4, 5, 6}, 2, 3);
    }

    // ---- arithmetic ----

    @Test
    void broadcastingArithmetic() {
        Tensor a = constant(new double[] {1, 2, 3, 4}, 2, 2);
        Tensor b = vector(10, 20);
        assertValues(F.add(a, b), EPS, 11, 22, 13, 24);
        assertValues(F.sub(a, b), EPS, -9, -18, -7, -16);
        assertValues(F.mul(a, constant(new double[] {2, -1}, 2, 1)), EPS, 2, 4, -3, -4);
        assertValues(F.div(a, b), EPS, 0.1, 0.1, 0.3, 0.2);
        assertValues(F.pow(vector(2, 3, 4), vector(3, 2, 0.5)), EPS, 8, 9, 2);
        assertValues(F.add(a, 0.5), EPS, 1.5, 2.5, 3.5, 4.5);
        assertShape(F.add(constant(new double[] {1, 2, 3}, 3, 1), vector(1, 2)), 3, 2);
    }

    // ---- elementwise ----

    @Test
    void elementaryFunctions() {
        assertValues(F.exp(vector(0, 1)), EPS, 1, Math.E);
        assertValues(F.log(vector(1, Math.E)), EPS, 0, 1);
        assertValues(F.sqrt(vector(4, 2)), EPS, 2, 1.4142135623730951);
        assertValues(F.abs(vector(-3, 0, 2)), EPS, 3, 0, 2);
        assertValues(F.neg(vector(1, -2)), EPS, -1, 2);
        assertValues(F.tanh(vector(0, 0.5)), EPS, 0, 0.46211715726000974);
        assertValues(F.cos(vector(0, 0.5)), EPS, 1, 0.8775825618903728);
        assertValues(F.sin(vector(0, 0.5)), EPS, 0, 0.479425538604203);
        assertValues(F.sigmoid(vector(0, 2)), EPS, 0.5, 0.8807970779778823);
    }

    @Test
    void sigmoidSaturatesWithoutNaN() {
        assertValues(F.sigmoid(vector(-1000, 1000)), EPS, 0, 1);
    }

    @Test
    void rectifiers() {
        assertValues(F.relu(vector(-2, 0, 3)), EPS, 0, 0, 3);
        assertValues(F.leakyRelu(vector(-2, 3), 0.1), EPS, -0.2, 3);
        assertValues(F.elu(vector(-1, 2), 0.5), EPS, -0.31606027941427883, 2);
        assertValues(F.elu(vector(-1), 1.0), EPS, Math.exp(-1) - 1);
    }

    @Test
    void seluUsesTheFixedPointConstants() {
        assertValues(F.selu(vector(-1, 0, 2)), EPS, -1.1113307378125625, 0, 2.101401974710961);
        assertValues(F.selu(vector(-1)), EPS, LAMBDA * ALPHA * (Math.exp(-1) - 1));
    }

    @Test
    void seluOfALargePositiveInputIsFinite() {
        // Regression: the negative branch was computed from e^x everywhere, and inf·0 gave NaN.
        assertValues(F.selu(vector(1000, -1000)), 1e-9, LAMBDA * 1000, -LAMBDA * ALPHA);
    }

    @Test
    void geluIsTheExactErfForm() {
        assertValues(F.gelu(vector(1.0)), EPS, 0.8413447460685429);
        assertValues(F.gelu(vector(-1.0, 0.0, 2.0)), EPS, -0.15865525393145707, 0, 1.9544997361036416);
    }

    @Test
    void softplusIsStableAtLargeMagnitudes() {
        assertValues(F.softplus(vector(0, 1)), EPS, 0.6931471805599453, 1.3132616875182228);
        assertValues(F.softplus(vector(50, 1000)), EPS, 50, 1000);
        Tensor neg = F.softplus(vector(-50, -1000));
        assertEquals(1.9287498479639178e-22, neg.data().getDouble(0), 1e-34);
        assertEquals(0.0, neg.data().getDouble(1));
    }

    @Test
    void softsignHardSigmoidAndClip() {
        assertValues(F.softsign(vector(3, -1)), EPS, 0.75, -0.5);
        assertValues(F.hardSigmoid(vector(-3, 0, 1, 3)), EPS, 0, 0.5, 0.7, 1);
        assertValues(F.hardSigmoid(vector(1), 0.5, 0.1), EPS, 0.6);
        assertValues(F.clip(vector(-5, 0.3, 5), -1, 2), EPS, -1, 0.3, 2);
    }

    // ---- linear algebra ----

    @Test
    void matmulAndGemm() {
        Tensor a = constant(new double[] {1, 2, 3, 4}, 2, 2);
        Tensor b = constant(new double[] {5, 6, 7, 8}, 2, 2);
        assertValues(F.matmul(a, b), EPS, 19, 22, 43, 50);
        assertValues(F.matmul(vector(1, 2), vector(3, 4)), EPS, 11);
        assertValues(F.matmul(vector(1, 2), b), EPS, 19, 22);
        // 2·A·Bᵀ + 0.5·[1, 2]
        assertValues(F.gemm(a, b, vector(1, 2), 2, 0.5, false, true), EPS, 34.5, 47, 78.5, 107);
        // Aᵀ·B
        assertValues(F.gemm(a, b, null, 1, 1, true, false), EPS, 26, 30, 38, 44);
    }

    @Test
    void matmulOverAnEmptyInnerDimensionIsZero() {
        Tensor a = Tensor.of(Nd4j.create(DataType.DOUBLE, 2, 0));
        Tensor b = Tensor.of(Nd4j.create(DataType.DOUBLE, 0, 3));
        assertShape(F.matmul(a, b), 2, 3);
        assertValues(F.matmul(a, b), 0, 0, 0, 0, 0, 0, 0);
        assertValues(F.gemm(a, b, vector(1, 2, 3), 1, 2, false, false), 0, 2, 4, 6, 2, 4, 6);
    }

    @Test
    void matmulAfterAnOpWithAScalarArgumentIsUnscaled() {
        // Regression: the cached native context kept elu's alpha as matmul's alpha.
        F.elu(vector(-1, 1), 0.5);
        F.clip(vector(1), 0.25, 0.75);
        assertValues(F.matmul(constant(new double[] {1, 2, 3}, 1, 3), constant(new double[] {1, 1, 1}, 3, 1)), EPS, 6);
    }

    // ---- reductions ----

    @Test
    void reductionsOverRowsColumnsAndAll() {
        Tensor x = m23();
        assertValues(F.sum(x, false, 1), EPS, 6, 15);
        assertValues(F.sum(x, false), EPS, 21);
        assertShape(F.sum(x, false), new long[0]);
        assertShape(F.sum(x, true), 1, 1);
        assertValues(F.mean(x, true, 0), EPS, 2.5, 3.5, 4.5);
        assertShape(F.mean(x, true, 0), 1, 3);
        assertValues(F.max(x, false, -1), EPS, 3, 6);
        assertValues(F.min(x, false, 0), EPS, 1, 2, 3);
        assertValues(F.prod(x, false, 1), EPS, 6, 120);
        assertValues(F.logSumExp(x, false, 1), EPS, 3.40760596444438, 6.407605964444381);
    }

    @Test
    void logSumExpDoesNotOverflow() {
        assertValues(F.logSumExp(vector(1000, 1000), false), EPS, 1000 + Math.log(2));
        assertValues(F.logSumExp(vector(-1000, -1000), false), EPS, -1000 + Math.log(2));
    }

    @Test
    void logSumExpOfOnlyMinusInfinityIsMinusInfinity() {
        double inf = Double.POSITIVE_INFINITY;
        assertValues(F.logSumExp(vector(-inf, -inf), false), 0, -inf);
        assertValues(F.logSumExp(vector(-inf, 0), false), EPS, 0);
        assertValues(F.logSumExp(vector(inf, 0), false), 0, inf);
    }

    @Test
    void sumAndProdOfAnEmptyAxisAreTheirIdentities() {
        Tensor empty = Tensor.of(Nd4j.create(DataType.DOUBLE, 2, 0));
        assertValues(F.sum(empty, false, 1), 0, 0, 0);
        assertValues(F.prod(empty, false, 1), 0, 1, 1);
    }

    @Test
    void softmaxAndLogSoftmax() {
        assertValues(F.softmax(vector(1, 2, 3), 0), EPS, 0.09003057317038046, 0.24472847105479767,
                0.6652409557748219);
        assertValues(F.logSoftmax(vector(1, 2, 3), 0), EPS, -2.40760596444438, -1.4076059644443801,
                -0.4076059644443803);
        assertValues(F.softmax(vector(1000, 1000), 0), EPS, 0.5, 0.5);
        // axis 0 of a [2,3]: each column sums to 1
        assertValues(F.softmax(constant(new double[] {0, 0, 1, 0, Math.log(3), 1}, 2, 3), 0), EPS,
                0.5, 0.25, 0.5, 0.5, 0.75, 0.5);
    }

    // ---- shape ----

    @Test
    void reshapeKeepsCOrder() {
        Tensor y = F.reshape(m23(), 3, -1);
        assertShape(y, 3, 2);
        assertValues(y, 0, 1, 2, 3, 4, 5, 6);
        assertShape(F.reshape(m23(), 0, 3, 1), 2, 3, 1);
    }

    @Test
    void permuteTransposeConcatSplit() {
        Tensor x = m23();
        assertValues(F.transpose(x), 0, 1, 4, 2, 5, 3, 6);
        assertValues(F.concat(0, vector(1), vector(2, 3), vector(4)), 0, 1, 2, 3, 4);
        assertValues(F.concat(1, x, constant(new double[] {7, 8}, 2, 1)), 0, 1, 2, 3, 7, 4, 5, 6, 8);
        Tensor[] parts = F.split(x, 1, 2, 1);
        assertValues(parts[0], 0, 1, 2, 4, 5);
        assertValues(parts[1], 0, 3, 6);
    }

    @Test
    void sliceWithNegativeStep() {
        Tensor x = vector(0, 1, 2, 3, 4);
        assertValues(F.slice(x, new long[] {-1}, new long[] {Long.MIN_VALUE}, null, new long[] {-1}), 0, 4, 3, 2, 1, 0);
        assertValues(F.slice(x, new long[] {-1}, new long[] {-6}, null, new long[] {-2}), 0, 4, 2, 0);
        assertValues(F.slice(x, new long[] {3}, new long[] {0}, null, new long[] {-1}), 0, 3, 2, 1);
        assertValues(F.slice(x, new long[] {-100}, new long[] {100}, null, new long[] {3}), 0, 0, 3);
        assertValues(F.slice(m23(), new long[] {-1, 2}, new long[] {-3, -100}, new long[] {0, 1},
                new long[] {-1, -2}), 0, 6, 4, 3, 1);
    }

    @Test
    void sliceWithAStepBeyondTheDimTakesOnlyTheStart() {
        // Regression: ceil((end − start) / step) was computed as (end − start + step − 1) / step, which
        // overflowed for huge steps and gave an empty slice.
        Tensor x = vector(0, 1, 2, 3, 4);
        assertValues(F.slice(x, new long[] {1}, new long[] {5}, null, new long[] {Long.MAX_VALUE}), 0, 1);
        assertValues(F.slice(x, new long[] {3}, new long[] {Long.MIN_VALUE}, null, new long[] {Long.MIN_VALUE}), 0,
                3);
        assertValues(F.slice(x, new long[] {0}, new long[] {5}, null, new long[] {4}), 0, 0, 4);
    }

    @Test
    void gatherWithNegativeIndex() {
        Tensor x = m23();
        assertValues(F.gather(x, indices(new long[] {-1, 0}, 2), 0), 0, 4, 5, 6, 1, 2, 3);
        assertValues(F.gather(x, indices(new long[] {-1, 0, -3}, 3), 1), 0, 3, 1, 1, 6, 4, 4);
        Tensor g = F.gather(x, indices(new long[] {1, 1, 0, 1}, 2, 2), 0);
        assertShape(g, 2, 2, 3);
        assertValues(g, 0, 4, 5, 6, 4, 5, 6, 1, 2, 3, 4, 5, 6);
    }

    @Test
    void expandAndWhere() {
        assertValues(F.expand(constant(new double[] {1, 2}, 2, 1), 2, 3), 0, 1, 1, 1, 2, 2, 2);
        Tensor cond = mask(new boolean[] {true, false, true}, 3);
        assertValues(F.where(cond, m23(), vector(-1)), 0, 1, -1, 3, 4, -1, 6);
    }

    @Test
    void layerNormOfASmallRow() {
        Tensor y = F.layerNorm(vector(1, 2, 3), vector(1, 1, 1), null, 0, 1e-5);
        assertValues(y, EPS, -1.2247356859083902, 0, 1.2247356859083902);
        Tensor z = F.layerNorm(vector(1, 2, 3), vector(2, 1, 0), vector(0.5, 0.5, 0.5), -1, 1e-5);
        assertValues(z, EPS, 0.5 - 2 * 1.2247356859083902, 0.5, 0.5);
    }
}

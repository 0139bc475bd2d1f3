package dev.dendrite.ops;

import static dev.dendrite.ops.TestTensors.indices;
import static dev.dendrite.ops.TestTensors.vector;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dendrite.tensor.ShapeException;
import dev.dendrite.tensor.Tensor;
import java.util.List;
import java.util.function.BinaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Every primitive family rejects bad input in Java, as a {@link ShapeException} that names the op and the
 * shapes involved, before a native kernel could crash or read out of bounds.
 */
class BadInputTest {

    private static Tensor zeros(long... shape) {
        return Tensor.of(Nd4j.zeros(DataType.DOUBLE, shape));
    }

    private static Tensor floats(long... shape) {
        return Tensor.of(Nd4j.zeros(DataType.FLOAT, shape));
    }

    /** The call throws a ShapeException whose message contains every fragment. */
    private static void assertRejected(Executable call, String... fragments) {
        ShapeException e = assertThrows(ShapeException.class, call);
        String message = e.getMessage();
        for (String f : fragments) {
            assertTrue(message.contains(f), () -> "message \"" + message + "\" lacks \"" + f + "\"");
        }
    }

    // ---- arithmetic ----

    @Test
    void nonBroadcastableShapesInEveryBinaryOp() {
        List<BinaryOperator<Tensor>> ops = List.of(F::add, F::sub, F::mul, F::div, F::pow);
        List<String> names = List.of("add", "sub", "mul", "div", "pow");
        for (int i = 0; i < ops.size(); i++) {
            BinaryOperator<Tensor> op = ops.get(i);
            assertRejected(() -> op.apply(zeros(2, 3), zeros(4)), names.get(i) + ":", "[2, 3]", "[4]",
                    "do not broadcast");
        }
    }

    @Test
    void mixedFloat32AndFloat64InAddAndMatmul() {
        assertRejected(() -> F.add(zeros(2, 3), floats(2, 3)), "add", "DOUBLE", "FLOAT", "[2, 3]");
        assertRejected(() -> F.matmul(zeros(2, 3), floats(3, 4)), "matmul", "DOUBLE", "FLOAT", "[3, 4]");
        assertRejected(() -> F.gemm(zeros(2, 3), zeros(3, 4), floats(4), 1, 1, false, false), "gemm", "FLOAT");
    }

    @Test
    void integerTensorIntoArithmeticAndElementwiseOps() {
        Tensor ints = Tensor.of(Nd4j.createFromArray(1, 2, 3));
        assertRejected(() -> F.exp(ints), "exp", "INT", "[3]");
        assertRejected(() -> F.tanh(ints), "tanh", "INT");
        assertRejected(() -> F.add(ints, ints), "add", "INT");
    }

    @Test
    void clipWithMinAboveMax() {
        assertRejected(() -> F.clip(zeros(2), 1, 0), "clip", "min 1.0", "max 0.0");
    }

    @Test
    void nullInputIsNamed() {
        assertRejected(() -> F.add(zeros(2), null), "add", "input 1 is null");
    }

    // ---- linear algebra ----

    @Test
    void matmulInnerDimensionMismatch() {
        assertRejected(() -> F.matmul(zeros(2, 3), zeros(4, 5)), "matmul", "[2, 3]", "[4, 5]", "3 vs 4");
        assertRejected(() -> F.matmul(zeros(3), zeros(4, 5)), "matmul", "[1, 3]", "[4, 5]");
    }

    @Test
    void matmulBatchDimsThatDoNotBroadcast() {
        assertRejected(() -> F.matmul(zeros(2, 3, 4), zeros(3, 4, 5)), "matmul", "[2]", "[3]", "do not broadcast");
    }

    @Test
    void matmulOfAScalar() {
        assertRejected(() -> F.matmul(Tensor.scalar(1, DataType.DOUBLE), zeros(2, 2)), "matmul", "scalars",
                "[2, 2]");
    }

    @Test
    void gemmWithARankThreeInput() {
        assertRejected(() -> F.gemm(zeros(2, 3, 4), zeros(4, 5), null, 1, 1, false, false), "gemm",
                "[2, 3, 4]", "[4, 5]");
        assertRejected(() -> F.gemm(zeros(3, 4), zeros(4), null, 1, 1, false, false), "gemm", "[3, 4]", "[4]");
    }

    @Test
    void gemmInnerMismatchAndBadC() {
        assertRejected(() -> F.gemm(zeros(3, 4), zeros(5, 6), null, 1, 1, false, false), "gemm", "[3, 4]",
                "[5, 6]", "4 vs 5");
        assertRejected(() -> F.gemm(zeros(3, 4), zeros(6, 5), null, 1, 1, false, true), "gemm", "[3, 4]",
                "[6, 5]");
        assertRejected(() -> F.gemm(zeros(3, 4), zeros(4, 2), zeros(3), 1, 1, false, false), "gemm", "[3, 2]",
                "[3]");
        assertRejected(() -> F.gemm(zeros(3, 4), zeros(4, 2), zeros(5, 3, 2), 1, 1, false, false), "gemm",
                "[5, 3, 2]", "[3, 2]");
    }

    // ---- reductions and softmax ----

    @Test
    void reduceAxisOutOfRange() {
        assertRejected(() -> F.sum(zeros(3, 4), false, 2), "sum", "axis 2", "[3, 4]");
        assertRejected(() -> F.mean(zeros(3, 4), true, -3), "mean", "axis -3", "[3, 4]");
        assertRejected(() -> F.max(zeros(3, 4), false, 0, 5), "max", "axis 5", "[3, 4]");
        assertRejected(() -> F.prod(zeros(3, 4), false, 7), "prod", "[3, 4]");
        assertRejected(() -> F.logSumExp(zeros(3, 4), false, -5), "logsumexp", "[3, 4]");
    }

    @Test
    void reduceWithARepeatedAxis() {
        assertRejected(() -> F.sum(zeros(3, 4), false, 1, -1), "sum", "repeated");
    }

    @Test
    void maxAndMinOverAnEmptyAxis() {
        assertRejected(() -> F.max(zeros(2, 0), false, 1), "max", "empty", "[2, 0]");
        assertRejected(() -> F.min(zeros(0, 3), false), "min", "empty", "[0, 3]");
    }

    @Test
    void softmaxAxisOutOfRange() {
        assertRejected(() -> F.softmax(zeros(3, 4), 2), "softmax", "axis 2", "[3, 4]");
        assertRejected(() -> F.logSoftmax(zeros(3, 4), -3), "log_softmax", "axis -3", "[3, 4]");
        assertRejected(() -> F.softmax(Tensor.scalar(1, DataType.DOUBLE), 0), "softmax", "[]");
    }

    // ---- shape ----

    @Test
    void reshapeToAWrongElementCount() {
        assertRejected(() -> F.reshape(zeros(3, 4), 5, 2), "reshape", "[3, 4]", "[5, 2]", "12", "10");
        assertRejected(() -> F.reshape(zeros(3, 4), 5, -1), "reshape", "[3, 4]", "[5, -1]");
    }

    @Test
    void reshapeWithTwoMinusOnesOrAnInvalidDim() {
        assertRejected(() -> F.reshape(zeros(3, 4), -1, -1), "reshape", "more than one -1", "[-1, -1]");
        assertRejected(() -> F.reshape(zeros(3, 4), -2, 6), "reshape", "-2");
        assertRejected(() -> F.reshape(zeros(12), 0, 0), "reshape", "[12]", "position 1");
    }

    @Test
    void flattenAxisOutOfRange() {
        assertRejected(() -> F.flatten(zeros(3, 4), 3), "flatten", "axis 3", "[3, 4]");
    }

    @Test
    void squeezeOfADimThatIsNotOne() {
        assertRejected(() -> F.squeeze(zeros(3, 4), 0), "squeeze", "[3, 4]", "size 3");
        assertRejected(() -> F.squeeze(zeros(3, 1), 2), "squeeze", "axis 2");
    }

    @Test
    void unsqueezeWithARepeatedAxis() {
        assertRejected(() -> F.unsqueeze(zeros(3), 0, 0), "unsqueeze", "repeated");
    }

    @Test
    void permuteWithANonPermutation() {
        assertRejected(() -> F.permute(zeros(3, 4), 0, 0), "permute", "[0, 0]", "[3, 4]");
        assertRejected(() -> F.permute(zeros(3, 4), 0, 2), "permute", "[0, 2]", "[3, 4]");
        assertRejected(() -> F.permute(zeros(3, 4), 1, 0, 2), "permute", "[1, 0, 2]", "[3, 4]");
        assertRejected(() -> F.transpose(zeros(3)), "transpose", "[3]");
    }

    @Test
    void concatWithMismatchedDims() {
        assertRejected(() -> F.concat(0, zeros(3, 4), zeros(3, 5)), "concat", "[3, 5]", "[3, 4]");
        assertRejected(() -> F.concat(1, zeros(3, 4), zeros(3, 4, 1)), "concat", "[3, 4, 1]", "[3, 4]");
        assertRejected(() -> F.concat(2, zeros(3, 4), zeros(3, 4)), "concat", "axis 2", "[3, 4]");
        assertRejected(() -> F.concat(0, zeros(3, 4), floats(3, 4)), "concat", "FLOAT");
    }

    @Test
    void splitSizesNotSumming() {
        assertRejected(() -> F.split(zeros(3, 4), 1, 1, 2), "split", "[1, 2]", "[3, 4]");
        assertRejected(() -> F.split(zeros(3, 4), 1, 5, -1), "split", "[5, -1]", "[3, 4]");
        assertRejected(() -> F.split(zeros(3, 4), 2, 4), "split", "axis 2", "[3, 4]");
    }

    @Test
    void sliceWithStepZero() {
        assertRejected(() -> F.slice(zeros(5), new long[] {0}, new long[] {3}, null, new long[] {0}), "slice",
                "step 0", "[5]");
    }

    @Test
    void sliceWithInconsistentArguments() {
        assertRejected(() -> F.slice(zeros(5, 4), new long[] {0, 1}, new long[] {3}, null, null), "slice",
                "same length");
        assertRejected(() -> F.slice(zeros(5, 4), new long[] {0}, new long[] {3}, new long[] {2}, null), "slice",
                "axis 2", "[5, 4]");
        assertRejected(() -> F.slice(zeros(5, 4), new long[] {0, 0}, new long[] {3, 3}, new long[] {1, -1}, null),
                "slice", "repeated");
    }

    @Test
    void gatherWithAnOutOfRangeIndex() {
        assertRejected(() -> F.gather(zeros(3, 4), indices(new long[] {0, 3}, 2), 0), "gather", "index 3",
                "[3, 4]");
        assertRejected(() -> F.gather(zeros(3, 4), indices(new long[] {-4, 0}, 2), 0), "gather", "index -4",
                "[3, 4]");
        assertRejected(() -> F.gather(zeros(3, 4), indices(new long[] {4}, 1), 1), "gather", "index 4", "axis 1");
        assertRejected(() -> F.gather(zeros(3, 4), indices(new long[] {Long.MIN_VALUE}, 1), 1), "gather",
                "[3, 4]");
    }

    @Test
    void gatherWithNonIntegerIndicesOrABadAxis() {
        assertRejected(() -> F.gather(zeros(3, 4), vector(1), 0), "gather", "integer", "DOUBLE");
        assertRejected(() -> F.gather(zeros(3, 4), indices(new long[] {0}, 1), 2), "gather", "axis 2", "[3, 4]");
        assertRejected(() -> F.gather(zeros(0, 4), indices(new long[] {0}, 1), 0), "gather", "index 0", "[0, 4]");
    }

    @Test
    void expandWithAnIncompatibleShape() {
        assertRejected(() -> F.expand(zeros(3), 2, 4), "expand", "[3]", "[2, 4]");
    }

    @Test
    void whereWithANonBoolCondition() {
        Tensor intCond = Tensor.of(Nd4j.createFromArray(1, 0));
        assertRejected(() -> F.where(intCond, zeros(2), zeros(2)), "where", "BOOL", "INT", "[2]");
        Tensor cond = Tensor.of(Nd4j.createFromArray(true, false, true));
        assertRejected(() -> F.where(cond, zeros(2), zeros(2)), "where", "[3]", "[2]");
        assertRejected(() -> F.where(Tensor.of(Nd4j.createFromArray(true, false)), zeros(2), floats(2)), "where",
                "FLOAT");
    }

    // ---- regularisation and normalisation ----

    @Test
    void dropoutWithPOutsideZeroToOne() {
        assertRejected(() -> F.dropout(zeros(2), 1.0, 1), "dropout", "1.0");
        assertRejected(() -> F.dropout(zeros(2), -0.1, 1), "dropout", "-0.1");
        assertRejected(() -> F.dropout(zeros(2), Double.NaN, 1), "dropout", "NaN");
    }

    @Test
    void layerNormWithAWrongGammaOrBetaShape() {
        assertRejected(() -> F.layerNorm(zeros(2, 3, 4), zeros(3), null, -1, 1e-5), "layer_norm", "[3]", "[4]",
                "[2, 3, 4]");
        assertRejected(() -> F.layerNorm(zeros(2, 3, 4), zeros(4), null, 1, 1e-5), "layer_norm", "[4]", "[3, 4]");
        assertRejected(() -> F.layerNorm(zeros(2, 3, 4), zeros(4), zeros(3), -1, 1e-5), "layer_norm", "bias",
                "[3]");
        assertRejected(() -> F.layerNorm(zeros(2, 3, 4), zeros(4), null, 3, 1e-5), "layer_norm", "axis 3");
    }
}

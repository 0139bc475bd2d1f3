package dev.dendrite.loss;

import dev.dendrite.tensor.DendriteException;
import dev.dendrite.tensor.Tensor;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The loss came out NaN or infinite; the message says whether the inputs already were. */
public final class NonFiniteLossException extends DendriteException {
    private final double value;

    public NonFiniteLossException(String loss, double value, String detail) {
        super("loss '" + loss + "' is " + value + " (" + detail + ")");
        this.value = value;
    }

    public double value() {
        return value;
    }

    static String describe(Tensor prediction, Tensor target) {
        return "prediction " + health(prediction.data()) + ", target " + health(target.data());
    }

    private static String health(INDArray a) {
        if (!a.dataType().isFPType()) {
            return "is " + a.dataType();
        }
        long nan = a.isNaN().castTo(org.nd4j.linalg.api.buffer.DataType.INT64).sumNumber().longValue();
        long inf = a.isInfinite().castTo(org.nd4j.linalg.api.buffer.DataType.INT64).sumNumber().longValue();
        return nan == 0 && inf == 0 ? "is finite" : "has " + nan + " NaN and " + inf + " infinite values";
    }
}

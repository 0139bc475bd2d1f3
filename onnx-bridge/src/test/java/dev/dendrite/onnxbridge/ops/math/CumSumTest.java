package dev.dendrite.onnxbridge.ops.math;

import static dev.dendrite.onnxbridge.ops.math.MathTestSupport.assertClose;
import static dev.dendrite.onnxbridge.ops.math.MathTestSupport.leaf;
import static dev.dendrite.onnxbridge.ops.math.MathTestSupport.op;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.dendrite.onnx.OnnxImportException;
import dev.dendrite.tensor.Tensor;
import dev.dendrite.testkit.GradCheck;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** The CumSum primitive (values and gradients in every mode) and its converter's integer path and checks. */
class CumSumTest {

    @Test
    void valuesInEveryMode() {
        Tensor x = Tensor.of(Nd4j.createFromArray(1.0, 2.0, 3.0, 4.0));
        assertClose(Nd4j.createFromArray(1.0, 3.0, 6.0, 10.0), CumSum.cumsum(x, 0, false, false).data(), 0);
        assertClose(Nd4j.createFromArray(0.0, 1.0, 3.0, 6.0), CumSum.cumsum(x, 0, true, false).data(), 0);
        assertClose(Nd4j.createFromArray(10.0, 9.0, 7.0, 4.0), CumSum.cumsum(x, 0, false, true).data(), 0);
        assertClose(Nd4j.createFromArray(9.0, 7.0, 4.0, 0.0), CumSum.cumsum(x, 0, true, true).data(), 0);
    }

    @Test
    void gradientsInEveryModeAndAxis() {
        for (int axis : new int[] {0, 1, -1}) {
            for (boolean exclusive : new boolean[] {false, true}) {
                for (boolean reverse : new boolean[] {false, true}) {
                    Tensor x = leaf(7 + axis, 3, 4, 2);
                    GradCheck.check("cumsum axis " + axis + " exclusive " + exclusive + " reverse " + reverse,
                            Map.of("x", x), () -> CumSum.cumsum(x, axis, exclusive, reverse));
                }
            }
        }
    }

    @Test
    void integersAndAxisInput() {
        Tensor x = Tensor.of(Nd4j.createFromArray(new long[] {1, 2, 3, 4, 5, 6}).reshape(2, 3));
        Tensor axis = Tensor.of(Nd4j.scalar(DataType.INT, -1));
        Tensor y = new CumSumConverter().convert(op("CumSum", 14, Map.of("exclusive", 1L)), new Tensor[] {x, axis})[0];
        assertEquals(DataType.LONG, y.dtype());
        assertClose(Nd4j.createFromArray(new long[] {0, 1, 3, 0, 4, 9}).reshape(2, 3), y.data(), 0);
    }

    @Test
    void badAxisIsRefused() {
        Tensor x = Tensor.of(Nd4j.createFromArray(1.0, 2.0));
        assertThrows(OnnxImportException.class, () -> new CumSumConverter().convert(op("CumSum", 14, Map.of()),
                new Tensor[] {x, Tensor.of(Nd4j.scalar(DataType.LONG, 1L))}));
        assertThrows(OnnxImportException.class, () -> new CumSumConverter().convert(op("CumSum", 14, Map.of()),
                new Tensor[] {x, Tensor.of(Nd4j.createFromArray(new long[] {0, 0}))}));
        assertThrows(OnnxImportException.class, () -> new CumSumConverter().convert(op("CumSum", 14, Map.of()),
                new Tensor[] {x, Tensor.of(Nd4j.scalar(DataType.FLOAT, 0f))}));
    }
}

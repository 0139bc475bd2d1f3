package dev.dendrite.onnxbridge.ops.math;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dendrite.onnx.OnnxImportException;
import dev.dendrite.onnx.OnnxOp;
import dev.dendrite.tensor.Tensor;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** Not, And, Or, Xor: truth tables with broadcasting, bool results, and a refusal of non-bool input. */
class LogicalConverterTest {
    private static Tensor run(String type, Tensor... in) {
        return new LogicalConverter().convert(new OnnxOp(type, "", "node_" + type.toLowerCase(), 17, Map.of(), 1,
                false), in)[0];
    }

    private static boolean[] flat(Tensor t) {
        assertEquals(DataType.BOOL, t.dtype());
        double[] v = t.data().castTo(DataType.DOUBLE).dup('c').reshape(new long[] {t.data().length()}).toDoubleVector();
        boolean[] b = new boolean[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = v[i] != 0;
        }
        return b;
    }

    @Test
    void truthTablesWithBroadcasting() {
        Tensor a = Tensor.of(Nd4j.createFromArray(new boolean[][] {{true}, {false}}));
        Tensor b = Tensor.of(Nd4j.createFromArray(true, false));
        assertArrayEquals(new boolean[] {true, false, false, false}, flat(run("And", a, b)));
        assertArrayEquals(new boolean[] {true, true, true, false}, flat(run("Or", a, b)));
        assertArrayEquals(new boolean[] {false, true, true, false}, flat(run("Xor", a, b)));
        assertArrayEquals(new long[] {2, 2}, run("Xor", a, b).shape());
        assertArrayEquals(new boolean[] {false, true}, flat(run("Not", a)));
    }

    @Test
    void nonBoolInputIsRefused() {
        OnnxImportException e = assertThrows(OnnxImportException.class,
                () -> run("Not", Tensor.of(Nd4j.zeros(DataType.FLOAT, 2))));
        assertTrue(e.getMessage().contains("node_not") && e.getMessage().contains("expects bool inputs"), e.getMessage());
    }
}

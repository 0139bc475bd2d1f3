package dev.dendrite.onnxbridge.ops.shape;

import static dev.dendrite.onnxbridge.ops.shape.Nodes.assertShape;
import static dev.dendrite.onnxbridge.ops.shape.Nodes.assertValues;
import static dev.dendrite.onnxbridge.ops.shape.Nodes.iota;
import static dev.dendrite.onnxbridge.ops.shape.Nodes.op;
import static dev.dendrite.onnxbridge.ops.shape.Nodes.run1;
import static dev.dendrite.onnxbridge.ops.shape.Nodes.shape;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.dendrite.onnx.OnnxImportException;
import dev.dendrite.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

/** Einsum equations against np.einsum's results. */
class EinsumConverterTest {
    private final EinsumConverter einsum = new EinsumConverter();

    private Tensor eval(String equation, Tensor... xs) {
        return run1(einsum, op("Einsum", 12, 1, "equation", equation), xs);
    }

    @Test
    void contractionsMatchNumpy() {
        Tensor a = iota(DataType.DOUBLE, 2, 3);
        Tensor b = iota(DataType.DOUBLE, 3, 4);
        assertValues(eval("ij,jk->ik", a, b), shape(2, 4), 20, 23, 26, 29, 56, 68, 80, 92);
        assertValues(eval("ij,jk", a, b), shape(2, 4), 20, 23, 26, 29, 56, 68, 80, 92);
        assertValues(eval("ij,jk,kl->il", a, b, iota(DataType.DOUBLE, 4, 2)), shape(2, 2), 324, 422, 1008, 1304);
        assertValues(eval("ij->", a), shape(), 15);
        assertValues(eval("ba", a), shape(3, 2), 0, 3, 1, 4, 2, 5);
        assertValues(eval("i,j->ij", iota(DataType.DOUBLE, 2), iota(DataType.DOUBLE, 3)), shape(2, 3),
                0, 0, 0, 0, 1, 2);
    }

    @Test
    void repeatedLabelsTakeTheDiagonal() {
        Tensor c = iota(DataType.DOUBLE, 3, 3);
        assertValues(eval("ii", c), shape(), 12);
        assertValues(eval("ii->i", c), shape(3), 0, 4, 8);
    }

    @Test
    void ellipsesBroadcastRightAligned() {
        Tensor e = iota(DataType.DOUBLE, 2, 1, 3, 4);
        Tensor f = iota(DataType.DOUBLE, 5, 4, 1);
        assertShape(eval("...ij,...jk->...ik", e, f), 2, 5, 3, 1);
        // batch 0, broadcast batch 1, row 0: sum_j e[0,0,0,j] * f[1,j,0] = 0*4 + 1*5 + 2*6 + 3*7
        Tensor y = eval("...ij,...jk->...ik", e, f);
        assertValues(Tensor.of(y.data().get(org.nd4j.linalg.indexing.NDArrayIndex.point(0),
                org.nd4j.linalg.indexing.NDArrayIndex.point(1), org.nd4j.linalg.indexing.NDArrayIndex.point(0),
                org.nd4j.linalg.indexing.NDArrayIndex.point(0))), shape(), 38);
    }

    @Test
    void malformedEquationsAreRefused() {
        Tensor a = iota(DataType.DOUBLE, 2, 3);
        assertThrows(OnnxImportException.class, () -> eval("ijk->i", a));
        assertThrows(OnnxImportException.class, () -> eval("ij->k", a));
        assertThrows(OnnxImportException.class, () -> eval("ij,jk->ik", a, a));
        assertThrows(OnnxImportException.class, () -> eval("i1->i", a));
        assertThrows(OnnxImportException.class, () -> eval("ij,jk->ik", a));
    }
}

package dev.dendrite.onnxbridge.ops.shape;

import static dev.dendrite.onnxbridge.ops.shape.Nodes.iota;
import static dev.dendrite.onnxbridge.ops.shape.Nodes.longs;
import static dev.dendrite.onnxbridge.ops.shape.Nodes.op;
import static dev.dendrite.onnxbridge.ops.shape.Nodes.run1;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dendrite.onnx.OnnxConverter;
import dev.dendrite.onnx.OnnxImportException;
import dev.dendrite.onnx.OnnxOp;
import dev.dendrite.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** Sizes read from data are checked before anything is allocated: a hostile model fails with a message. */
class DataSizeLimitTest {
    private static void refused(OnnxConverter c, OnnxOp op, Tensor... inputs) {
        OnnxImportException e = assertThrows(OnnxImportException.class, () -> run1(c, op, inputs));
        assertTrue(e.getMessage().contains(op.name()), e.getMessage());
    }

    @Test
    void constantOfShapeRefusesATrillionElements() {
        refused(new ShapeConverter(), op("ConstantOfShape", 13, 1), longs(1_000_000, 1_000_000));
        refused(new ShapeConverter(), op("ConstantOfShape", 13, 1), longs(4, -1));
    }

    @Test
    void expandAndTileRefuseHugeResults() {
        refused(new ExpandTileConverter(), op("Expand", 13, 1), iota(2, 1), longs(1_000_000, 1_000_000, 1));
        refused(new ExpandTileConverter(), op("Tile", 13, 1), iota(2, 2), longs(1L << 40, 1L << 40));
        refused(new ExpandTileConverter(), op("Tile", 13, 1), iota(2, 2), longs(Long.MAX_VALUE, 2));
        refused(new ExpandTileConverter(), op("Tile", 13, 1), iota(2, 2), longs(-1, 2));
    }

    @Test
    void rangeRefusesHugeAndEndlessRanges() {
        ShapeConverter c = new ShapeConverter();
        Tensor zero = Tensor.of(Nd4j.scalar(DataType.FLOAT, 0f));
        refused(c, op("Range", 11, 1), zero, Tensor.of(Nd4j.scalar(DataType.FLOAT, 1e12f)),
                Tensor.of(Nd4j.scalar(DataType.FLOAT, 1f)));
        refused(c, op("Range", 11, 1), zero, zero, zero);
        refused(c, op("Range", 11, 1), Tensor.of(Nd4j.scalar(Long.MIN_VALUE)), Tensor.of(Nd4j.scalar(Long.MAX_VALUE)),
                Tensor.of(Nd4j.scalar(1L)));
    }

    @Test
    void padRefusesHugePads() {
        refused(new PadConverter(), op("Pad", 13, 1), iota(2, 2), longs(0, 0, 1L << 40, 0));
        refused(new PadConverter(), op("Pad", 13, 1, "mode", "edge"), iota(2, 2), longs(0, Long.MAX_VALUE, 0, 1));
    }
}

package dev.dendrite.onnxbridge.ops.shape;

import static dev.dendrite.onnxbridge.ops.shape.Nodes.leaf;
import static dev.dendrite.onnxbridge.ops.shape.Nodes.longs;
import static dev.dendrite.onnxbridge.ops.shape.Nodes.op;
import static dev.dendrite.onnxbridge.ops.shape.Nodes.run;
import static dev.dendrite.onnxbridge.ops.shape.Nodes.run1;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dendrite.onnx.OnnxConverter;
import dev.dendrite.onnx.OnnxOp;
import dev.dendrite.tensor.Tensor;
import dev.dendrite.testkit.GradCheck;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Gradient checks through the converters that compose primitives in non-obvious ways (Tile, Pad's modes,
 * TopK's values, Einsum, DepthToSpace, Split, Slice): an imported graph must train through them.
 */
class ShapeGradTest {
    private static void check(String label, Map<String, Tensor> leaves, Supplier<Tensor> f) {
        GradCheck.Result r = GradCheck.check(label, leaves, f);
        assertTrue(r.worst() <= GradCheck.TOLERANCE, () -> label + ": worst error " + r.worst());
    }

    private static Supplier<Tensor> node(OnnxConverter c, OnnxOp op, Tensor... inputs) {
        return () -> run1(c, op, inputs);
    }

    @Test
    void tileSumsTheGradientOfEveryCopy() {
        Tensor x = leaf(1, 2, 3);
        check("tile", Map.of("x", x), node(new ExpandTileConverter(), op("Tile", 13, 1), x, longs(2, 3)));
        check("expand", Map.of("x", x), node(new ExpandTileConverter(), op("Expand", 13, 1), x, longs(4, 2, 1)));
    }

    @Test
    void padModesScatterBackToTheirSources() {
        PadConverter pad = new PadConverter();
        Tensor x = leaf(2, 3, 4);
        Tensor value = Tensor.of(Nd4j.scalar(DataType.DOUBLE, 1.5));
        check("pad constant", Map.of("x", x), node(pad, op("Pad", 13, 1), x, longs(1, -1, 2, 2), value));
        check("pad edge", Map.of("x", x), node(pad, op("Pad", 13, 1, "mode", "edge"), x, longs(2, 1, 1, 3)));
        check("pad reflect", Map.of("x", x), node(pad, op("Pad", 13, 1, "mode", "reflect"), x, longs(2, 5, 1, 0)));
        check("pad wrap", Map.of("x", x), node(pad, op("Pad", 19, 1, "mode", "wrap"), x, longs(1, 6, 2, -1)));
    }

    @Test
    void topKValuesCarryGradientsToTheChosenElements() {
        Tensor x = leaf(3, 3, 5);
        check("topk largest", Map.of("x", x), () -> run(new TopKConverter(), op("TopK", 11, 2), x, longs(3))[0]);
        check("topk smallest axis 0", Map.of("x", x),
                () -> run(new TopKConverter(), op("TopK", 11, 2, "axis", 0L, "largest", 0L), x, longs(2))[0]);
    }

    @Test
    void einsumIsDifferentiableInEveryOperand() {
        EinsumConverter e = new EinsumConverter();
        Tensor a = leaf(4, 2, 3);
        Tensor b = leaf(5, 3, 4);
        Tensor c = leaf(6, 4, 2);
        check("einsum chain", Map.of("a", a, "b", b, "c", c),
                node(e, op("Einsum", 12, 1, "equation", "ij,jk,kl->li"), a, b, c));
        Tensor s = leaf(7, 3, 3, 2);
        check("einsum diagonal", Map.of("s", s), node(e, op("Einsum", 12, 1, "equation", "iij->ji"), s));
        Tensor p = leaf(8, 2, 1, 3, 4);
        Tensor q = leaf(9, 5, 4, 2);
        check("einsum ellipsis", Map.of("p", p, "q", q),
                node(e, op("Einsum", 12, 1, "equation", "...ij,...jk->...ik"), p, q));
    }

    @Test
    void depthToSpaceSliceAndSplitAreDifferentiable() {
        Tensor x = leaf(10, 1, 8, 2, 3);
        TransposeConverter t = new TransposeConverter();
        check("dcr", Map.of("x", x), node(t, op("DepthToSpace", 13, 1, "blocksize", 2L), x));
        check("crd", Map.of("x", x), node(t, op("DepthToSpace", 13, 1, "blocksize", 2L, "mode", "CRD"), x));
        Tensor y = leaf(11, 5, 6);
        check("slice", Map.of("y", y), node(new SliceGatherConverter(), op("Slice", 13, 1), y, longs(-1, 1),
                longs(-10, 10), longs(0, 1), longs(-2, 2)));
        check("split", Map.of("y", y), () -> run(new ConcatSplitConverter(), op("Split", 18, 3, "axis", 1L,
                "num_outputs", 3L), y)[1]);
    }
}

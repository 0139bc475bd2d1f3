package dev.dendrite.cnn.ops;

import static dev.dendrite.cnn.TestArrays.normal;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.dendrite.onnx.OnnxGraph;
import dev.dendrite.onnx.OnnxNode;
import dev.dendrite.tensor.Function;
import dev.dendrite.tensor.Tensor;
import dev.dendrite.testkit.Compare;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** What each CNN primitive writes into the ONNX IR: op type, inputs and attributes. */
class OnnxExportTest {
    private static final long[] ONE = {1, 1};

    /** Runs the primitive on inputs x0, x1, ..., then writes it as x0.. → y0. */
    private static OnnxNode export(OnnxGraph g, Function f, Tensor... inputs) {
        f.apply(inputs);
        String[] in = new String[inputs.length];
        for (int i = 0; i < in.length; i++) {
            in[i] = "x" + i;
        }
        f.toOnnx(g, in, new String[] {"y0"});
        assertEquals(1, g.nodes().size(), () -> "nodes " + g.nodes());
        OnnxNode n = g.nodes().get(0);
        assertEquals(OnnxNode.DEFAULT_DOMAIN, n.domain());
        assertEquals(List.of("y0"), n.outputs());
        return n;
    }

    private static OnnxNode export(Function f, Tensor... inputs) {
        return export(new OnnxGraph(13), f, inputs);
    }

    private static Tensor t(long... shape) {
        return Tensor.of(normal(DataType.FLOAT, 7, shape));
    }

    private static void assertLongs(Map<String, Object> attributes, String name, long... expected) {
        Object v = attributes.get(name);
        assertNotNull(v, () -> "no attribute " + name + " in " + attributes.keySet());
        assertArrayEquals(expected, (long[]) v, name);
    }

    @Test
    void conv2dWritesEveryGeometryAttribute() {
        OnnxNode n = export(new Conv(2, new long[] {2, 1}, new long[] {1, 0, 2, 1}, new long[] {1, 2}, 2, null),
                t(1, 4, 8, 8), t(6, 2, 3, 2), t(6));
        assertEquals("Conv", n.opType());
        assertEquals(List.of("x0", "x1", "x2"), n.inputs());
        assertLongs(n.attributes(), "kernel_shape", 3, 2);
        assertLongs(n.attributes(), "strides", 2, 1);
        assertLongs(n.attributes(), "pads", 1, 0, 2, 1);
        assertLongs(n.attributes(), "dilations", 1, 2);
        assertEquals(2L, n.attributes().get("group"));
    }

    @Test
    void conv2dWithoutBiasHasTwoInputsAndDepthwiseIsAGroupPerChannel() {
        OnnxNode n = export(new Conv(2, ONE, new long[] {1, 1, 1, 1}, ONE, 3, null), t(1, 3, 5, 5), t(6, 1, 3, 3));
        assertEquals(List.of("x0", "x1"), n.inputs());
        assertEquals(3L, n.attributes().get("group"));
        assertLongs(n.attributes(), "kernel_shape", 3, 3);
    }

    @Test
    void conv1dIsA1dConv() {
        OnnxNode n = export(new Conv(1, new long[] {1, 2}, new long[] {0, 1, 0, 2}, new long[] {1, 3}, 1, null), t(2, 3, 12),
                t(4, 3, 3), t(4));
        assertEquals("Conv", n.opType());
        assertLongs(n.attributes(), "kernel_shape", 3);
        assertLongs(n.attributes(), "strides", 2);
        assertLongs(n.attributes(), "pads", 1, 2);
        assertLongs(n.attributes(), "dilations", 3);
        assertEquals(1L, n.attributes().get("group"));
    }

    @Test
    void convTranspose2dWritesOutputPadding() {
        OnnxNode n = export(new ConvTranspose(new long[] {2, 2}, new long[] {1, 0}, new long[] {1, 0}, ONE, 1),
                t(1, 3, 4, 4), t(3, 2, 3, 3), t(2));
        assertEquals("ConvTranspose", n.opType());
        assertEquals(List.of("x0", "x1", "x2"), n.inputs());
        assertLongs(n.attributes(), "kernel_shape", 3, 3);
        assertLongs(n.attributes(), "strides", 2, 2);
        assertLongs(n.attributes(), "pads", 1, 0, 1, 0);
        assertLongs(n.attributes(), "output_padding", 1, 0);
        assertLongs(n.attributes(), "dilations", 1, 1);
        assertEquals(1L, n.attributes().get("group"));
    }

    @Test
    void maxPool() {
        OnnxNode n = export(new Pool(true, new long[] {3, 3}, new long[] {2, 2}, ONE, true, false), t(1, 2, 6, 6));
        assertEquals("MaxPool", n.opType());
        assertEquals(List.of("x0"), n.inputs());
        assertLongs(n.attributes(), "kernel_shape", 3, 3);
        assertLongs(n.attributes(), "strides", 2, 2);
        assertLongs(n.attributes(), "pads", 1, 1, 1, 1);
        assertEquals(1L, n.attributes().get("ceil_mode"));
        assertFalse(n.attributes().containsKey("count_include_pad"));
    }

    @Test
    void averagePoolWritesCountIncludePad() {
        OnnxNode n = export(new Pool(false, new long[] {2, 3}, new long[] {1, 2}, new long[] {1, 0}, false, false),
                t(1, 2, 6, 6));
        assertEquals("AveragePool", n.opType());
        assertLongs(n.attributes(), "kernel_shape", 2, 3);
        assertLongs(n.attributes(), "strides", 1, 2);
        assertLongs(n.attributes(), "pads", 1, 0, 1, 0);
        assertEquals(0L, n.attributes().get("ceil_mode"));
        assertEquals(0L, n.attributes().get("count_include_pad"));
        OnnxNode included = export(new Pool(false, new long[] {2, 2}, new long[] {2, 2}, new long[] {0, 0}, true, true),
                t(1, 2, 5, 5));
        assertEquals(1L, included.attributes().get("count_include_pad"));
        assertEquals(1L, included.attributes().get("ceil_mode"));
    }

    @Test
    void globalPools() {
        OnnxNode avg = export(new GlobalPool(false), t(2, 3, 4, 4));
        assertEquals("GlobalAveragePool", avg.opType());
        assertEquals(Map.of(), avg.attributes());
        assertEquals("GlobalMaxPool", export(new GlobalPool(true), t(2, 3, 4, 4)).opType());
    }

    @Test
    void batchNormWritesTheInferenceFormWithOnnxMomentum() {
        OnnxNode n = export(new BatchNorm(true, 1e-3, 0.1), t(4, 3, 2, 2), t(3), t(3), t(3), t(3));
        assertEquals("BatchNormalization", n.opType());
        // Ours: x, running mean, running var, weight, bias. ONNX: X, scale, B, input_mean, input_var.
        assertEquals(List.of("x0", "x3", "x4", "x1", "x2"), n.inputs());
        assertEquals(1e-3, (Double) n.attributes().get("epsilon"), 1e-15);
        assertEquals(0.9, (Double) n.attributes().get("momentum"), 1e-15);
    }

    @Test
    void batchNormWithoutAffineWritesUnitScaleAndZeroBias() {
        OnnxGraph g = new OnnxGraph(13);
        OnnxNode n = export(g, new BatchNorm(false, 1e-5, 0.1), t(4, 3), t(3), t(3));
        assertEquals("x0", n.inputs().get(0));
        INDArray scale = g.constants().get(n.inputs().get(1));
        INDArray bias = g.constants().get(n.inputs().get(2));
        Compare.assertBitEqual("scale", scale, Nd4j.ones(DataType.FLOAT, 3));
        Compare.assertBitEqual("bias", bias, Nd4j.zeros(DataType.FLOAT, 3));
        assertEquals(List.of("x1", "x2"), n.inputs().subList(3, 5));
    }

    @Test
    void upsampleIsAResizeWithPyTorchCoordinates() {
        OnnxGraph g = new OnnxGraph(13);
        OnnxNode n = export(g, new Upsample(2, true), t(1, 2, 3, 3));
        assertEquals("Resize", n.opType());
        assertEquals("x0", n.inputs().get(0));
        assertEquals("", n.inputs().get(1), "roi is left out");
        INDArray scales = g.constants().get(n.inputs().get(2));
        assertEquals(DataType.FLOAT, scales.dataType());
        assertArrayEquals(new float[] {1, 1, 2, 2}, scales.toFloatVector());
        assertEquals("linear", n.attributes().get("mode"));
        assertEquals("pytorch_half_pixel", n.attributes().get("coordinate_transformation_mode"));

        OnnxNode nearest = export(new Upsample(3, false), t(1, 2, 3, 3));
        assertEquals("nearest", nearest.attributes().get("mode"));
        assertEquals("asymmetric", nearest.attributes().get("coordinate_transformation_mode"));
        assertEquals("floor", nearest.attributes().get("nearest_mode"));
    }
}

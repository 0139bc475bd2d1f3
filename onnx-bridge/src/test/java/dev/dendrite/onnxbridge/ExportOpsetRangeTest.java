package dev.dendrite.onnxbridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dendrite.nn.Init;
import dev.dendrite.onnxbridge.proto.ModelProto;
import dev.dendrite.random.Rng;
import dev.dendrite.tensor.DendriteException;
import dev.dendrite.tensor.GradMode;
import dev.dendrite.tensor.Tensor;
import dev.dendrite.testkit.Compare;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The exporter's opset range reaches 23 (the Attention op): each opset is written with the IR version its ONNX
 * release used, and ONNX Runtime 1.29 loads and agrees with every one of them.
 */
class ExportOpsetRangeTest {
    @Test
    void opsets18To23LoadInOnnxRuntimeWithTheirIrVersion() {
        TinyNet net = new TinyNet(new Rng(1));
        net.train(false);
        Tensor x = Tensor.of(Init.normal(new Rng(2), DataType.FLOAT, 0, 1, 3, 4));
        INDArray ours;
        try (var off = GradMode.off()) {
            ours = net.forward(x).data();
        }
        Map<Integer, Long> ir = Map.of(18, 8L, 19, 9L, 20, 9L, 21, 10L, 22, 10L, 23, 11L);
        for (int opset = 18; opset <= OnnxExporter.MAX_OPSET; opset++) {
            ModelProto m = OnnxExporter.export(net, opset, x);
            assertEquals(ir.get(opset), m.getIrVersion(), "IR version for opset " + opset);
            try (OrtRunner ort = new OrtRunner(m)) {
                double d = Compare.maxAbsDiff("opset " + opset, ort.run(x.data())[0], ours);
                assertTrue(d <= 1e-5, "opset " + opset + ": " + d);
            }
        }
        assertEquals(23, OnnxExporter.MAX_OPSET);
        var e = assertThrows(DendriteException.class, () -> OnnxExporter.export(net, 24, x));
        assertEquals("cannot export at opset 24: Dendrite writes opsets 13..23", e.getMessage());
    }
}

package dev.dendrite.onnxbridge;

import static dev.dendrite.onnxbridge.Models.floatInput;
import static dev.dendrite.onnxbridge.Models.node;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dendrite.onnx.OnnxConverter;
import dev.dendrite.onnx.OnnxOp;
import dev.dendrite.onnxbridge.proto.AttributeProto;
import dev.dendrite.onnxbridge.proto.GraphProto;
import dev.dendrite.onnxbridge.proto.ModelProto;
import dev.dendrite.random.Rng;
import dev.dendrite.tensor.CompiledStep;
import dev.dendrite.tensor.GradMode;
import dev.dendrite.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A graph that rebuilds a shape from its input's (PyTorch's export of {@code x.view(x.size(0), 3, 2)}): the shape
 * arithmetic runs once per input shape, and a compiled step replays none of it.
 */
class ShapeFoldingTest {
    /** ONNX's Shape, counting its calls. */
    private static final class CountingShape implements OnnxConverter {
        private final OnnxConverter shape;
        int calls;

        CountingShape(OnnxConverter shape) {
            this.shape = shape;
        }

        @Override
        public Set<String> opTypes() {
            return Set.of("Shape");
        }

        @Override
        public int priority() {
            return 1;
        }

        @Override
        public Tensor[] convert(OnnxOp op, Tensor[] inputs) {
            calls++;
            return shape.convert(op, inputs);
        }
    }

    private CountingShape counting;

    /** x [N, 6] → Reshape(x, Concat(Unsqueeze(Gather(Shape(x), 0)), [3, 2])) → Relu. */
    private ImportedModel model() {
        List<OnnxConverter> all = new ArrayList<>();
        ServiceLoader.load(OnnxConverter.class).forEach(all::add);
        counting = new CountingShape(Converters.of(all).find("", "Shape"));
        all.add(counting);
        GraphProto.Builder g = GraphProto.newBuilder().setName("g").addInput(floatInput("x", -1, 6))
                .addInitializer(TensorProtos.write("zero", Nd4j.scalar(0L)))
                .addInitializer(TensorProtos.write("axes", Nd4j.createFromArray(0L)))
                .addNode(node("Shape", "shape", new String[] {"x"}, new String[] {"s"}))
                .addNode(node("Gather", "batch", new String[] {"s", "zero"}, new String[] {"n"},
                        AttributeProto.newBuilder().setName("axis").setI(0).setType(AttributeProto.AttributeType.INT)
                                .build()))
                .addNode(node("Unsqueeze", "unsqueeze", new String[] {"n", "axes"}, new String[] {"n1"}))
                .addNode(node("Constant", "rest", new String[0], new String[] {"r"}, Models.tensorAttr("value",
                        TensorProtos.write("v", Nd4j.createFromArray(3L, 2L)))))
                .addNode(node("Concat", "concat", new String[] {"n1", "r"}, new String[] {"target"},
                        AttributeProto.newBuilder().setName("axis").setI(0).setType(AttributeProto.AttributeType.INT)
                                .build()))
                .addNode(node("Reshape", "reshape", new String[] {"x", "target"}, new String[] {"y"}))
                .addNode(node("Relu", "relu", new String[] {"y"}, new String[] {"z"}))
                .addOutput(floatInput("z", -1, 3, 2));
        ModelProto m = Models.model(g, 13);
        ImportedModel model = new OnnxImporter(Converters.of(all)).importModel(m, null);
        model.train(false);
        return model;
    }

    private static INDArray input(int batch) {
        return Nd4j.linspace(-5, 5, batch * 6L, DataType.FLOAT).reshape(batch, 6);
    }

    @Test
    void theShapeArithmeticRunsOncePerInputShape() {
        ImportedModel model = model();
        for (int batch : new int[] {2, 2, 3, 2, 3}) {
            Tensor z = model.run(Tensor.of(input(batch)))[0];
            assertArrayEquals(new long[] {batch, 3, 2}, z.shape());
            assertEquals(org.nd4j.linalg.ops.transforms.Transforms.relu(input(batch), true).reshape(batch, 3, 2),
                    z.data());
        }
        assertEquals(2, counting.calls, "Shape ran once for batch 2 and once for batch 3");
    }

    @Test
    void anExportWritesTheSameGraphBeforeAndAfterRuns() {
        ModelProto fresh = OnnxExporter.export(model(), Tensor.of(input(2)));
        ImportedModel model = model();
        model.run(Tensor.of(input(2)));
        model.run(Tensor.of(input(2)));
        assertEquals(fresh.getGraph(), OnnxExporter.export(model, Tensor.of(input(2))).getGraph());
    }

    @Test
    void aCompiledStepReplaysNoneOfIt() {
        ImportedModel model = model();
        CompiledStep step = new CompiledStep("fold", in -> model.run(in[0]), new Rng(0), true, model::buffers);
        INDArray expected = model.run(Tensor.of(input(4)))[0].data().dup();
        for (int i = 0; i < 4; i++) {
            try (var off = GradMode.off()) {
                assertEquals(expected, step.forward(Boolean.FALSE, false, input(4))[0].data());
            }
        }
        String plan = step.explain();
        assertFalse(plan.contains("eager"), plan);
        // What is left to replay: the reshape's copy (if any) and the ReLU; no Shape, Gather, Unsqueeze or Concat.
        java.util.regex.Matcher calls = java.util.regex.Pattern.compile("(\\d+) native calls").matcher(plan);
        assertTrue(calls.find(), plan);
        assertTrue(Integer.parseInt(calls.group(1)) <= 2, plan);
    }
}

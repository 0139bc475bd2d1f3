package dev.dendrite.onnxbridge;

import static dev.dendrite.onnxbridge.Models.floatInput;
import static dev.dendrite.onnxbridge.Models.node;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.dendrite.onnx.OnnxConverter;
import dev.dendrite.onnx.OnnxOp;
import dev.dendrite.ops.Clamp;
import dev.dendrite.ops.F;
import dev.dendrite.onnxbridge.proto.GraphProto;
import dev.dendrite.onnxbridge.proto.ModelProto;
import dev.dendrite.onnxbridge.proto.OperatorSetIdProto;
import dev.dendrite.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The importer fuses a Relu or Clip into the node before it when that node's converter takes a clamp and nothing
 * else reads its output; the results are the unfused graph's either way.
 */
class ClampFusionTest {
    private static final float[] X = {-3f, -0.5f, 0.25f, 1f, 4f};

    /** y = 2x in a test domain, applying a fused clamp itself and remembering each clamp it was given. */
    private static final class Twice implements OnnxConverter {
        final List<Clamp> seen = new ArrayList<>();

        @Override
        public String domain() {
            return "dendrite.test";
        }

        @Override
        public Set<String> opTypes() {
            return Set.of("Twice");
        }

        @Override
        public boolean fusesClamp(OnnxOp op) {
            return true;
        }

        @Override
        public Tensor[] convert(OnnxOp op, Tensor[] inputs) {
            seen.add(op.clamp());
            Tensor y = F.mul(inputs[0], 2.0);
            return new Tensor[] {op.clamp() == null ? y : F.clip(y, op.clamp().min(), op.clamp().max())};
        }
    }

    private final Twice twice = new Twice();

    private float[] run(GraphProto.Builder g, String... outputs) {
        List<OnnxConverter> all = new ArrayList<>();
        ServiceLoader.load(OnnxConverter.class).forEach(all::add);
        all.add(twice);
        g.setName("g").addInput(floatInput("x", X.length));
        for (String o : outputs) {
            g.addOutput(floatInput(o, X.length));
        }
        ModelProto m = ModelProto.newBuilder().setIrVersion(8).setGraph(g)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(13))
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("dendrite.test").setVersion(1)).build();
        ImportedModel model = new OnnxImporter(Converters.of(all)).importModel(m, null);
        model.train(false);
        return model.run(Tensor.of(Nd4j.createFromArray(X)))[outputs.length - 1].data().toFloatVector();
    }

    private static GraphProto.Builder twiceThen(String op, String... extraInputs) {
        String[] in = new String[1 + extraInputs.length];
        in[0] = "t";
        System.arraycopy(extraInputs, 0, in, 1, extraInputs.length);
        return GraphProto.newBuilder()
                .addNode(node("Twice", "twice", new String[] {"x"}, new String[] {"t"}).toBuilder()
                        .setDomain("dendrite.test").build())
                .addNode(node(op, "act", in, new String[] {"y"}));
    }

    private static GraphProto.Builder bounds(GraphProto.Builder g, float lo, float hi) {
        return g.addInitializer(TensorProtos.write("lo", Nd4j.scalar(lo)))
                .addInitializer(TensorProtos.write("hi", Nd4j.scalar(hi)));
    }

    @Test
    void reluIsFusedIntoTheNodeBefore() {
        assertArrayEquals(new float[] {0, 0, 0.5f, 2, 8}, run(twiceThen("Relu"), "y"));
        assertEquals(List.of(Clamp.RELU), twice.seen);
    }

    @Test
    void clipWithConstantBoundsIsFused() {
        assertArrayEquals(new float[] {-1, -1, 0.5f, 2, 2.5f}, run(bounds(twiceThen("Clip", "lo", "hi"), -1, 2.5f),
                "y"));
        assertEquals(List.of(new Clamp(-1, 2.5)), twice.seen);
    }

    @Test
    void aClipThatIsNoClampRunsAsItselfAfterTheNode() {
        // min > max: every value becomes max (opset 13), which no clamp expresses.
        assertArrayEquals(new float[] {1, 1, 1, 1, 1}, run(bounds(twiceThen("Clip", "lo", "hi"), 3, 1), "y"));
        assertEquals(java.util.Collections.singletonList(null), twice.seen);
    }

    @Test
    void anOutputSomethingElseReadsIsNotFused() {
        GraphProto.Builder g = twiceThen("Relu").addNode(node("Neg", "neg", new String[] {"t"},
                new String[] {"z"}));
        assertArrayEquals(new float[] {6, 1, -0.5f, -2, -8}, run(g, "y", "z"));
        assertEquals(java.util.Collections.singletonList(null), twice.seen);
        assertArrayEquals(new float[] {-6, -1, 0.5f, 2, 8}, run(twiceThen("Relu"), "y", "t"));
    }

    @Test
    void boundsMadeAfterTheNodeAreNotFusedButStillApply() {
        GraphProto.Builder g = twiceThen("Clip", "lo", "hi")
                .addNode(node("Constant", "lo_c", new String[0], new String[] {"lo"}, Models.tensorAttr("value",
                        TensorProtos.write("v", Nd4j.scalar(0f)))))
                .addNode(node("Constant", "hi_c", new String[0], new String[] {"hi"}, Models.tensorAttr("value",
                        TensorProtos.write("v", Nd4j.scalar(1f)))));
        assertArrayEquals(new float[] {0, 0, 0.5f, 1, 1}, run(g, "y"));
        assertEquals(java.util.Collections.singletonList(null), twice.seen);
    }
}

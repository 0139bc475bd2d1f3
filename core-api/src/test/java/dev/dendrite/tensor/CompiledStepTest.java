package dev.dendrite.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dendrite.onnx.OnnxBuilder;
import dev.dendrite.ops.F;
import dev.dendrite.random.Rng;
import dev.dendrite.testkit.Compare;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Compiled steps against eager ones, bit for bit: the same model and data run both ways, step after step with
 * updates in between, including the calls that capture and verify; and the ways a step cannot be replayed
 * faithfully, each of which must end eager (or as a unit node) with the same results.
 */
class CompiledStepTest {
    /** A two-layer MLP's parameters, the same values for each seed. */
    private static Tensor[] mlp(long seed) {
        Rng r = new Rng(seed);
        return new Tensor[] {
            Tensor.leaf(dev.dendrite.nn.Init.normal(r, DataType.FLOAT, 0, 0.3, 16, 8)),
            Tensor.leaf(dev.dendrite.nn.Init.normal(r, DataType.FLOAT, 0, 0.1, 16)),
            Tensor.leaf(dev.dendrite.nn.Init.normal(r, DataType.FLOAT, 0, 0.3, 4, 16)),
            Tensor.leaf(dev.dendrite.nn.Init.normal(r, DataType.FLOAT, 0, 0.1, 4))};
    }

    /** Forward of the MLP with dropout, cross-entropy against class ids: outputs {loss, logits}. */
    private static Tensor[] mlpLoss(Tensor[] p, Tensor x, Tensor ids, Rng rng) {
        Tensor h = F.dropout(F.relu(F.linear(x, p[0], p[1])), 0.3, rng.nextLong());
        Tensor logits = F.linear(F.tanh(h), p[2], p[3]);
        return new Tensor[] {F.mean(F.crossEntropy(logits, ids, 0.1), false), logits};
    }

    private static INDArray features(long seed, int rows) {
        return dev.dendrite.nn.Init.normal(new Rng(seed), DataType.FLOAT, 0, 1, rows, 8);
    }

    private static INDArray ids(long seed, int rows) {
        Rng r = new Rng(seed);
        long[] v = new long[rows];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextInt(4);
        }
        return Nd4j.createFromArray(v);
    }

    private static void sgd(Tensor[] params) {
        for (Tensor t : params) {
            Kernels.axpy(t.data(), -0.1, t.grad(), t.data());
            t.zeroGrad();
        }
    }

    /** Runs {@code steps} training steps both ways and checks every loss, gradient and parameter bit for bit. */
    private static CompiledStep trainBoth(int steps, BiFunction<Tensor[], Rng, CompiledStep.Body> body,
            java.util.function.IntUnaryOperator rows) {
        Tensor[] pe = mlp(1);
        Tensor[] pc = mlp(1);
        Rng re = new Rng(5);
        Rng rc = new Rng(5);
        CompiledStep.Body eagerBody = body.apply(pe, re);
        CompiledStep step = new CompiledStep("test", body.apply(pc, rc), rc, true, Map::of);
        for (int s = 0; s < steps; s++) {
            int n = rows.applyAsInt(s);
            INDArray x = features(100 + s, n);
            INDArray y = ids(200 + s, n);
            Tensor[] oe = eagerBody.apply(new Tensor[] {Tensor.of(x), Tensor.of(y)});
            oe[0].backward();
            Tensor[] oc = step.forward(Boolean.TRUE, true, x, y);
            Compare.assertBitEqual("step " + s + " loss", oc[0].data(), oe[0].data());
            Compare.assertBitEqual("step " + s + " logits", oc[1].data(), oe[1].data());
            step.backward();
            for (int i = 0; i < pe.length; i++) {
                Compare.assertBitEqual("step " + s + " gradient " + i, pc[i].grad(), pe[i].grad());
            }
            sgd(pe);
            sgd(pc);
            for (int i = 0; i < pe.length; i++) {
                Compare.assertBitEqual("step " + s + " parameter " + i, pc[i].data(), pe[i].data());
            }
            assertEquals(re.state(), rc.state(), "the random stream advances as eagerly");
        }
        return step;
    }

    @Test
    void anMlpWithDropoutReplaysBitIdenticalToEager() {
        CompiledStep step = trainBoth(8, (p, rng) -> in -> mlpLoss(p, in[0], in[1], rng), s -> 10);
        String plan = step.explain();
        assertTrue(plan.contains("native calls, 0 unit nodes, 1 random seeds"), plan);
    }

    @Test
    void eachInputShapeGetsItsOwnPlan() {
        CompiledStep step = trainBoth(12, (p, rng) -> in -> mlpLoss(p, in[0], in[1], rng), s -> s % 2 == 0 ? 10 : 3);
        String plan = step.explain();
        assertTrue(plan.contains("FLOAT[10, 8], LONG[10]") && plan.contains("FLOAT[3, 8], LONG[3]"), plan);
        assertEquals(2, plan.lines().filter(l -> l.contains("native calls")).count(), plan);
    }

    @Test
    void intermediatesShareMemoryWhenTheirLifetimesDoNotOverlap() {
        CompiledStep step = trainBoth(4, (p, rng) -> in -> {
            // A long chain of elementwise ops whose intermediates die young in forward-only use.
            Tensor h = F.linear(in[0], p[0], p[1]);
            for (int i = 0; i < 10; i++) {
                h = F.tanh(F.mul(h, h));
            }
            return new Tensor[] {F.mean(F.crossEntropy(F.linear(h, p[2], p[3]), in[1], 0), false),
                F.linear(h, p[2], p[3])};
        }, s -> 64);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("arena ([0-9.]+) MB \\(([0-9.]+) MB unshared\\)")
                .matcher(step.explain());
        assertTrue(m.find(), step.explain());
        assertTrue(Double.parseDouble(m.group(1)) < Double.parseDouble(m.group(2)), step.explain());
    }

    /** 2x with a legacy INDArray op: work a plan cannot see, so the node must run as a unit. */
    private static final class LegacyDouble extends Function {
        @Override
        public String name() {
            return "legacy_double";
        }

        @Override
        protected INDArray[] forward(INDArray[] in) {
            return new INDArray[] {in[0].mul(2)};
        }

        @Override
        protected INDArray[] backward(INDArray[] g) {
            return new INDArray[] {g[0].mul(2)};
        }

        @Override
        public void toOnnx(OnnxBuilder onnx, String[] inputs, String[] outputs) {
            throw new UnsupportedOperationException();
        }
    }

    @Test
    void aPrimitiveWorkingOutsideKernelsBecomesAUnitAndStaysExact() {
        CompiledStep step = trainBoth(6, (p, rng) -> in -> {
            Tensor h = new LegacyDouble().apply1(F.relu(F.linear(in[0], p[0], p[1])));
            Tensor logits = F.linear(h, p[2], p[3]);
            return new Tensor[] {F.mean(F.crossEntropy(logits, in[1], 0), false), logits};
        }, s -> 10);
        assertTrue(step.explain().contains("1 unit nodes [legacy_double]"), step.explain());
    }

    /** 3x in a Java kernel ({@link Kernels#host}), forward and backward: replayed like a native call. */
    private static final class HostTriple extends Function {
        private record Times(float c) implements Kernels.HostKernel {
            @Override
            public void run(INDArray[] in, INDArray[] out) {
                float[] x = HostArrays.read(in[0], 0);
                for (int i = 0; i < in[0].length(); i++) {
                    x[i] *= c;
                }
                HostArrays.write(x, out[0]);
            }
        }

        @Override
        public String name() {
            return "host_triple";
        }

        @Override
        protected INDArray[] forward(INDArray[] in) {
            INDArray y = Kernels.empty(in[0].dataType(), in[0].shape());
            Kernels.host("triple", new Times(3f), in, new INDArray[] {y});
            return new INDArray[] {y};
        }

        @Override
        protected INDArray[] backward(INDArray[] g) {
            INDArray d = Kernels.empty(g[0].dataType(), g[0].shape());
            Kernels.host("triple", new Times(3f), g, new INDArray[] {d});
            return new INDArray[] {d};
        }

        @Override
        public void toOnnx(OnnxBuilder onnx, String[] inputs, String[] outputs) {
            throw new UnsupportedOperationException();
        }
    }

    @Test
    void javaKernelsReplayOnPlannedArraysWithoutUnits() {
        // HostTriple and clip (a Java kernel in float32) between native calls, with shared memory.
        CompiledStep step = trainBoth(6, (p, rng) -> in -> {
            Tensor h = F.clip(new HostTriple().apply1(F.linear(in[0], p[0], p[1])), 0, 1);
            Tensor logits = F.linear(h, p[2], p[3]);
            return new Tensor[] {F.mean(F.crossEntropy(logits, in[1], 0), false), logits};
        }, s -> 10);
        assertTrue(step.explain().contains("0 unit nodes"), step.explain());
    }

    @Test
    void aConstantBuiltFromTheDataOutsidePrimitivesKeepsTheStepEager() {
        CompiledStep step = trainBoth(6, (p, rng) -> in -> {
            // Layer code computing on the input's values: a capture would freeze the first batch's.
            Tensor shifted = Tensor.of(in[0].data().add(1.0));
            Tensor logits = F.linear(F.relu(F.linear(shifted, p[0], p[1])), p[2], p[3]);
            return new Tensor[] {F.mean(F.crossEntropy(logits, in[1], 0), false), logits};
        }, s -> 10);
        assertTrue(step.explain().contains("eager:"), step.explain());
    }

    @Test
    void randomNumbersDrawnOutsideRandomPrimitivesKeepTheStepEager() {
        CompiledStep step = trainBoth(5, (p, rng) -> in -> {
            long unused = rng.nextLong();
            Tensor logits = F.linear(F.relu(F.linear(in[0], p[0], p[1])), p[2], p[3]);
            return new Tensor[] {F.mean(F.crossEntropy(logits, in[1], 0), false), F.add(logits, (double) (unused & 1))};
        }, s -> 10);
        assertTrue(step.explain().contains("eager: the step draws 1 numbers from the random stream"), step.explain());
    }

    @Test
    void gradientsLeftFromAnEarlierStepRunThatCallEagerly() {
        Tensor[] p = mlp(1);
        Rng rng = new Rng(3);
        CompiledStep step = new CompiledStep("test", in -> {
            Tensor logits = F.linear(F.relu(F.linear(in[0], p[0], p[1])), p[2], p[3]);
            return new Tensor[] {F.mean(F.crossEntropy(logits, in[1], 0), false), logits};
        }, rng, true, Map::of);
        for (int s = 0; s < 3; s++) {
            step.forward(Boolean.TRUE, true, features(s, 10), ids(s, 10));
            step.backward();
            sgd(p);
        }
        // Not zeroed: eager accumulates into the existing gradients, and so must this call.
        step.forward(Boolean.TRUE, true, features(7, 10), ids(7, 10));
        step.backward();
        INDArray once = p[0].grad().dup();
        step.forward(Boolean.TRUE, true, features(7, 10), ids(7, 10));
        step.backward();
        assertTrue(step.explain().contains("native calls"), step.explain());
        assertNotNull(p[0].grad());
        Compare.assertClose("accumulated gradient", p[0].grad(), once.mul(2), 0);
    }

    @Test
    void aForwardOnlyStepReplaysUnderNoGrad() {
        Tensor[] p = mlp(2);
        Rng rng = new Rng(3);
        CompiledStep step = new CompiledStep("eval", in -> {
            Tensor logits = F.linear(F.relu(F.linear(in[0], p[0], p[1])), p[2], p[3]);
            return new Tensor[] {F.softmax(logits, 1)};
        }, rng, true, Map::of);
        try (var off = GradMode.off()) {
            for (int s = 0; s < 5; s++) {
                INDArray x = features(40 + s, 6);
                INDArray expected = F.softmax(F.linear(F.relu(F.linear(Tensor.of(x), p[0], p[1])), p[2], p[3]), 1)
                        .data();
                Compare.assertBitEqual("eval " + s, step.forward(Boolean.FALSE, false, x)[0].data(), expected);
            }
        }
        assertTrue(step.explain().contains("native calls, 0 unit nodes"), step.explain());
        for (Tensor t : p) {
            assertNull(t.grad());
        }
    }

    @Test
    void valueChecksStillRunWhenReplayed() {
        Tensor[] p = mlp(1);
        Rng rng = new Rng(3);
        CompiledStep step = new CompiledStep("test", in -> mlpLoss(p, in[0], in[1], rng), rng, true, Map::of);
        for (int s = 0; s < 3; s++) {
            step.forward(Boolean.TRUE, true, features(s, 10), ids(s, 10));
            step.backward();
            sgd(p);
        }
        assertTrue(step.explain().contains("native calls"), step.explain());
        INDArray bad = ids(9, 10);
        bad.putScalar(7, 4);
        ShapeException e = assertThrows(ShapeException.class,
                () -> step.forward(Boolean.TRUE, true, features(9, 10), bad));
        assertTrue(e.getMessage().contains("class id 4 is outside [0, 4)"), e.getMessage());
    }

    /** Adds its input's mean into a persistent buffer in place (as batch norm's running statistics move). */
    private static final class Accumulate extends Function {
        @Override
        public String name() {
            return "accumulate";
        }

        @Override
        protected INDArray[] forward(INDArray[] in) {
            INDArray m = Kernels.exec("reduce_mean", Kernels.empty(in[0].dataType(), in[0].size(1)), new long[] {0},
                    in[0]);
            Kernels.exec("add", in[1], in[1], m);
            return new INDArray[] {Kernels.copy(in[0])};
        }

        @Override
        protected INDArray[] backward(INDArray[] g) {
            return new INDArray[] {Kernels.copy(g[0]), null};
        }

        @Override
        public void toOnnx(OnnxBuilder onnx, String[] inputs, String[] outputs) {
            throw new UnsupportedOperationException();
        }
    }

    @Test
    void buffersChangedByPrimitivesAreReplayedAndVerified() {
        List<INDArray> buffers = new ArrayList<>();
        CompiledStep step = trainBoth(6, (p, rng) -> {
            INDArray buffer = Nd4j.zeros(DataType.FLOAT, 8);
            buffers.add(buffer);
            return in -> {
                Tensor x = new Accumulate().apply1(in[0], Tensor.of(buffer));
                Tensor logits = F.linear(F.relu(F.linear(x, p[0], p[1])), p[2], p[3]);
                return new Tensor[] {F.mean(F.crossEntropy(logits, in[1], 0), false), logits};
            };
        }, s -> 10);
        assertTrue(step.explain().contains("native calls, 0 unit nodes"), step.explain());
        Compare.assertBitEqual("buffer", buffers.get(1), buffers.get(0));
    }

    @Test
    void aBufferChangedByLayerCodeKeepsTheStepEager() {
        List<INDArray> buffers = new ArrayList<>();
        Tensor[] pe = mlp(1);
        Tensor[] pc = mlp(1);
        INDArray be = Nd4j.zeros(DataType.FLOAT, 8);
        INDArray bc = Nd4j.zeros(DataType.FLOAT, 8);
        BiFunction<Tensor[], INDArray, CompiledStep.Body> body = (p, buffer) -> in -> {
            buffer.addi(in[0].data().mean(0)); // outside any primitive
            Tensor logits = F.linear(F.relu(F.linear(F.add(in[0], Tensor.of(buffer)), p[0], p[1])), p[2], p[3]);
            return new Tensor[] {F.mean(F.crossEntropy(logits, in[1], 0), false), logits};
        };
        CompiledStep step = new CompiledStep("test", body.apply(pc, bc), new Rng(1), true, () -> Map.of("b", bc));
        CompiledStep.Body eager = body.apply(pe, be);
        for (int s = 0; s < 5; s++) {
            INDArray x = features(s, 10);
            INDArray y = ids(s, 10);
            Tensor[] oe = eager.apply(new Tensor[] {Tensor.of(x), Tensor.of(y)});
            oe[0].backward();
            Tensor[] oc = step.forward(Boolean.TRUE, true, x, y);
            Compare.assertBitEqual("loss " + s, oc[0].data(), oe[0].data());
            step.backward();
            sgd(pe);
            sgd(pc);
            Compare.assertBitEqual("buffer " + s, bc, be);
        }
        assertTrue(step.explain().contains("eager:"), step.explain());
        buffers.clear();
    }

    @Test
    void twoStepsChainedThroughAnInputGradientMatchOneEagerGraph() {
        Tensor[] pe = mlp(4);
        Tensor[] pc = mlp(4);
        Rng rng = new Rng(1);
        // The generator-then-discriminator shape of a GAN step: h = relu(W1·x + b1) in one step, then the loss of
        // h in another that hands back dL/dh, which seeds the first step's backward.
        CompiledStep first = new CompiledStep("first", in -> new Tensor[] {F.relu(F.linear(in[0], pc[0], pc[1]))},
                rng, true, Map::of);
        CompiledStep second = new CompiledStep("second", in -> {
            Tensor logits = F.linear(in[0], pc[2], pc[3]);
            return new Tensor[] {F.mean(F.crossEntropy(logits, in[1], 0), false)};
        }, rng, true, Map::of);
        for (int s = 0; s < 6; s++) {
            INDArray x = features(300 + s, 10);
            INDArray y = ids(400 + s, 10);
            Tensor le = F.mean(F.crossEntropy(F.linear(F.relu(F.linear(Tensor.of(x), pe[0], pe[1])), pe[2], pe[3]),
                    Tensor.of(y), 0), false);
            le.backward();
            INDArray h = first.forward(Boolean.TRUE, true, x)[0].data();
            Tensor lc = second.forward(Boolean.TRUE, true, new boolean[] {true, false}, h, y)[0];
            Compare.assertBitEqual("loss " + s, lc.data(), le.data());
            second.backward();
            first.backward(second.inputGradient(0));
            for (int i = 0; i < pe.length; i++) {
                Compare.assertBitEqual("step " + s + " gradient " + i, pc[i].grad(), pe[i].grad());
            }
            sgd(pe);
            sgd(pc);
        }
        assertTrue(first.explain().contains("native calls") && second.explain().contains("(gradient of input 0)"),
                first.explain() + second.explain());
        assertTrue(!first.explain().contains("eager") && !second.explain().contains("eager"),
                first.explain() + second.explain());
    }
}

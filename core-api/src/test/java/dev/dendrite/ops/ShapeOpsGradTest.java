package dev.dendrite.ops;

import static dev.dendrite.ops.TestTensors.assertShape;
import static dev.dendrite.ops.TestTensors.assertGradientsMatch;
import static dev.dendrite.ops.TestTensors.leaf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.dendrite.tensor.Tensor;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Gradient checks of the ops that move values around without arithmetic. */
class ShapeOpsGradTest {

    @Test
    void reshapeWithZeroAndMinusOne() {
        Tensor x = leaf(81, 2, 3, 4);
        assertShape(F.reshape(x, 0, -1), 2, 12);
        assertShape(F.reshape(x, -1, 0, 2), 4, 3, 2);
        assertGradientsMatch("reshape [0,-1]", Map.of("x", x), () -> F.reshape(x, 0, -1));
        assertGradientsMatch("reshape [-1,0,2]", Map.of("x", x), () -> F.reshape(x, -1, 0, 2));
    }

    @Test
    void reshapeFeedingANonLinearOp() {
        // A reshaped view must not leak into later ops' saved state.
        Tensor x = leaf(82, 2, 6);
        assertGradientsMatch("tanh(reshape)", Map.of("x", x), () -> F.mul(F.tanh(F.reshape(x, 3, 4)), F.reshape(x, 3, 4)));
    }

    @Test
    void flattenAtSeveralAxes() {
        Tensor x = leaf(83, 2, 3, 4);
        assertShape(F.flatten(x, 0), 1, 24);
        assertShape(F.flatten(x, 1), 2, 12);
        assertShape(F.flatten(x, -1), 6, 4);
        assertShape(F.flatten(x, 3), 24, 1);
        assertGradientsMatch("flatten 1", Map.of("x", x), () -> F.flatten(x, 1));
        assertGradientsMatch("flatten -1", Map.of("x", x), () -> F.flatten(x, -1));
    }

    @Test
    void squeezeGivenAxesAndAllOnes() {
        Tensor x = leaf(84, 2, 1, 3, 1);
        assertShape(F.squeeze(x, 1, -1), 2, 3);
        assertShape(F.squeeze(x), 2, 3);
        assertShape(F.squeeze(x, 3), 2, 1, 3);
        assertGradientsMatch("squeeze 1,-1", Map.of("x", x), () -> F.squeeze(x, 1, -1));
        assertGradientsMatch("squeeze all", Map.of("x", x), () -> F.squeeze(x));
    }

    @Test
    void unsqueezeWithPositiveAndNegativeAxes() {
        Tensor x = leaf(85, 2, 3);
        assertShape(F.unsqueeze(x, 0, -1), 1, 2, 3, 1);
        assertShape(F.unsqueeze(x, 1), 2, 1, 3);
        assertGradientsMatch("unsqueeze 0,-1", Map.of("x", x), () -> F.unsqueeze(x, 0, -1));
    }

    @Test
    void permuteAndItsInverse() {
        Tensor x = leaf(86, 2, 3, 4);
        assertShape(F.permute(x, 2, 0, 1), 4, 2, 3);
        assertEquals(x.data().getDouble(1, 2, 3), F.permute(x, 2, 0, 1).data().getDouble(3, 1, 2));
        assertGradientsMatch("permute [2,0,1]", Map.of("x", x), () -> F.permute(x, 2, 0, 1));
        assertGradientsMatch("permute [1,2,0]", Map.of("x", x), () -> F.permute(x, 1, 2, 0));
    }

    @Test
    void transposeSwapsTheLastTwoAxes() {
        Tensor x = leaf(87, 2, 3, 4);
        assertShape(F.transpose(x), 2, 4, 3);
        assertGradientsMatch("transpose", Map.of("x", x), () -> F.transpose(x));
    }

    @Test
    void concatOfThreeInputs() {
        Tensor a = leaf(88, 2, 1, 4);
        Tensor b = leaf(89, 2, 3, 4);
        Tensor c = leaf(90, 2, 2, 4);
        assertShape(F.concat(1, a, b, c), 2, 6, 4);
        assertGradientsMatch("concat axis 1", Map.of("a", a, "b", b, "c", c), () -> F.concat(1, a, b, c));
        assertGradientsMatch("concat axis -2", Map.of("a", a, "b", b, "c", c), () -> F.concat(-2, c, a, b));
    }

    @Test
    void concatOfAConstantAndALeaf() {
        Tensor a = leaf(91, 2, 3);
        Tensor k = Tensor.of(leaf(92, 2, 3).data());
        assertGradientsMatch("concat const", Map.of("a", a), () -> F.concat(0, k, a));
    }

    @Test
    void splitBackToAReorderedConcat() {
        Tensor x = leaf(93, 2, 6, 3);
        Tensor[] parts = F.split(x, 1, 1, 2, 3);
        assertEquals(3, parts.length);
        assertShape(parts[2], 2, 3, 3);
        assertGradientsMatch("concat(split) reordered", Map.of("x", x), () -> {
            Tensor[] p = F.split(x, 1, 1, 2, 3);
            return F.concat(1, p[2], p[0], p[1]);
        });
    }

    @Test
    void splitWithWeightedSumOfOutputs() {
        Tensor x = leaf(94, 5, 2);
        assertGradientsMatch("weighted split", Map.of("x", x), () -> {
            Tensor[] p = F.split(x, -2, 2, 3);
            return F.add(F.mul(F.sum(p[0], false), 3.0), F.mul(F.sum(F.tanh(p[1]), false), -0.5));
        });
    }

    @Test
    void splitWithAnUnusedOutputGetsZeroGradientThere() {
        Tensor x = leaf(95, 4, 2);
        Tensor[] p = F.split(x, 0, 1, 3);
        F.sum(p[1], false).backward();
        assertNotNull(x.grad());
        TestTensors.assertValues(Tensor.of(x.grad()), 0, 0, 0, 1, 1, 1, 1, 1, 1);
        assertGradientsMatch("split one output", Map.of("x", x), () -> F.split(x, 0, 1, 3)[1]);
    }

    @Test
    void expandBroadcastsAndSumsBack() {
        Tensor x = leaf(96, 3, 1);
        assertShape(F.expand(x, 2, 3, 4), 2, 3, 4);
        assertGradientsMatch("expand [3,1]->[2,3,4]", Map.of("x", x), () -> F.expand(x, 2, 3, 4));
        Tensor y = leaf(97, 2, 1, 4);
        // ONNX Expand broadcasts both ways: a 1 in the requested shape keeps the input's dim.
        assertShape(F.expand(y, 3, 1), 2, 3, 4);
        assertGradientsMatch("expand two-way", Map.of("y", y), () -> F.expand(y, 3, 1));
    }
}

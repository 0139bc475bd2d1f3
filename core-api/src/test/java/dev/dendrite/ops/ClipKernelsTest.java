package dev.dendrite.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dendrite.tensor.Tensor;
import dev.dendrite.testkit.Compare;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Clip in float32 runs as Java loops, in float64 as libnd4j's clipbyvalue and native masks (the gradient checks'
 * path): both must give the same values, the boundaries included, and NaN must pass through the forward.
 */
class ClipKernelsTest {
    private static final float[] X = {-2f, 0f, -0f, 0.5f, 5.999f, 6f, 6.001f, 100f, Float.NEGATIVE_INFINITY,
        Float.POSITIVE_INFINITY};

    private static INDArray[] run(DataType type, double min, double max) {
        Tensor x = Tensor.leaf(Nd4j.createFromArray(X).castTo(type));
        Tensor y = F.clip(x, min, max);
        INDArray g = Nd4j.linspace(1, X.length, X.length).castTo(type);
        y.backward(g);
        return new INDArray[] {y.data(), x.grad()};
    }

    @Test
    void float32JavaKernelsAgreeWithTheFloat64PathBoundariesIncluded() {
        for (double[] range : new double[][] {{0, 6}, {-1, 1}, {0.5, 0.5}}) {
            INDArray[] f = run(DataType.FLOAT, range[0], range[1]);
            INDArray[] d = run(DataType.DOUBLE, range[0], range[1]);
            Compare.assertClose("clip " + range[0] + ".." + range[1], f[0].castTo(DataType.DOUBLE), d[0], 0);
            // The gradient passes where min <= x <= max (PyTorch's clamp): at 0 and at 6 for ReLU6.
            Compare.assertClose("clip gradient " + range[0] + ".." + range[1], f[1].castTo(DataType.DOUBLE), d[1], 0);
        }
        INDArray[] relu6 = run(DataType.FLOAT, 0, 6);
        assertEquals(0f, relu6[1].getFloat(0));
        assertEquals(2f, relu6[1].getFloat(1), "x = 0 is inside [0, 6]");
        assertEquals(6f, relu6[1].getFloat(5), "x = 6 is inside [0, 6]");
        assertEquals(0f, relu6[1].getFloat(6));
    }

    @Test
    void nanPassesThroughTheForward() {
        Tensor x = Tensor.leaf(Nd4j.createFromArray(1f, Float.NaN, 7f));
        INDArray y = F.clip(x, 0, 6).data();
        assertEquals(1f, y.getFloat(0));
        assertTrue(Float.isNaN(y.getFloat(1)));
        assertEquals(6f, y.getFloat(2));
    }
}

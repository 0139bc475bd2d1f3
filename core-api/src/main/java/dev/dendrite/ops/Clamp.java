package dev.dendrite.ops;

import dev.dendrite.onnx.OnnxBuilder;
import dev.dendrite.tensor.Kernels;
import dev.dendrite.tensor.ShapeException;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * An activation y = min(max(x, min), max) that a primitive applies to its own output as it writes it (an
 * epilogue): ReLU is (0, ∞), ReLU6 (0, 6). A convolution followed by one costs one pass over memory, not three
 * (the activation's read, its write, and the fresh array between them). Its gradient passes where the output is
 * strictly inside the bounds, which only the output is needed for: PyTorch's ReLU and ReLU6 (hardtanh) rule, and
 * {@link F#clip}'s everywhere except at values exactly on a bound (clip passes those).
 */
public record Clamp(double min, double max) {
    public static final Clamp RELU = new Clamp(0, Double.POSITIVE_INFINITY);

    public Clamp {
        if (!(min <= max)) {
            throw new ShapeException("clamp: min " + min + " must be <= max " + max + " (and neither NaN)");
        }
    }

    /** Clamps {@code y} in place: native scalar max/min, which a compiled step replays. */
    public INDArray applyInPlace(INDArray y) {
        if (min > Double.NEGATIVE_INFINITY) {
            Kernels.scalar("max", y, y, min);
        }
        if (max < Double.POSITIVE_INFINITY) {
            Kernels.scalar("min", y, y, max);
        }
        return y;
    }

    /** Clamps a float in the loop that writes it (what a Java kernel's epilogue calls). */
    public static float apply(float v, float min, float max) {
        // Math.max/min keep NaN and vectorise (C2's MaxVF/MinVF).
        return Math.min(Math.max(v, min), max);
    }

    /** dL/dx from the clamped output {@code y} and dL/dy: g where min &lt; y &lt; max, else 0, in a fresh array. */
    public INDArray gradient(INDArray y, INDArray g) {
        return Activations.gradientInside(y, g, min, max, false);
    }

    /** Writes the clamp of value {@code in} as {@code out}: Relu for (0, ∞), otherwise Clip. */
    public void toOnnx(OnnxBuilder onnx, String in, String out, org.nd4j.linalg.api.buffer.DataType type) {
        if (equals(RELU)) {
            onnx.node("Relu", new String[] {in}, new String[] {out});
            return;
        }
        String lo = min == Double.NEGATIVE_INFINITY ? "" : onnx.constant(Nd4j.scalar(type, min));
        String hi = max == Double.POSITIVE_INFINITY ? "" : onnx.constant(Nd4j.scalar(type, max));
        onnx.node("Clip", new String[] {in, lo, hi}, new String[] {out});
    }
}

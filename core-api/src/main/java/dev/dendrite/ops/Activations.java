package dev.dendrite.ops;

import dev.dendrite.onnx.OnnxBuilder;
import dev.dendrite.tensor.HostArrays;
import dev.dendrite.tensor.Kernels;
import dev.dendrite.tensor.ShapeException;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.BooleanIndexing;
import org.nd4j.linalg.indexing.conditions.Conditions;
import org.nd4j.linalg.ops.transforms.Transforms;

/** The elementwise math and activation primitives; each reads as its formula. */
final class Activations {
    private Activations() {}

    static final class Exp extends Unary {
        Exp() {
            super("exp");
        }

        INDArray apply(INDArray x) {
            return Arr.fn("exp", x);
        }

        INDArray derivative() {
            return y;
        }

        String onnxOp() {
            return "Exp";
        }
    }

    static final class Log extends Unary {
        Log() {
            super("log");
        }

        INDArray apply(INDArray x) {
            return Arr.fn("log", x);
        }

        INDArray derivative() {
            return Arr.fn("reciprocal", x);
        }

        String onnxOp() {
            return "Log";
        }
    }

    static final class Sqrt extends Unary {
        Sqrt() {
            super("sqrt");
        }

        INDArray apply(INDArray x) {
            return Arr.fn("sqrt", x);
        }

        /** 1/(2√x), and 0 at x = 0 where the slope is infinite (see {@code Binary.Pow}'s gradient). */
        INDArray derivative() {
            INDArray d = y.mul(2.0).rdivi(1.0);
            BooleanIndexing.replaceWhere(d, 0.0, Conditions.isInfinite());
            return d;
        }

        String onnxOp() {
            return "Sqrt";
        }
    }

    static final class Abs extends Unary {
        Abs() {
            super("abs");
        }

        INDArray apply(INDArray x) {
            return Arr.fn("abs", x);
        }

        INDArray derivative() {
            return Arr.fn("sign", x);
        }

        String onnxOp() {
            return "Abs";
        }
    }

    static final class Neg extends Unary {
        Neg() {
            super("neg");
        }

        INDArray apply(INDArray x) {
            return Arr.fn("neg", x);
        }

        @Override
        INDArray gradient(INDArray g) {
            return Arr.fn("neg", g);
        }

        String onnxOp() {
            return "Neg";
        }
    }

    static final class Cos extends Unary {
        Cos() {
            super("cos");
        }

        INDArray apply(INDArray x) {
            return Arr.fn("cos", x);
        }

        INDArray derivative() {
            INDArray d = Arr.fn("sin", x);
            return Kernels.transform("neg", d, d);
        }

        String onnxOp() {
            return "Cos";
        }
    }

    static final class Sin extends Unary {
        Sin() {
            super("sin");
        }

        INDArray apply(INDArray x) {
            return Arr.fn("sin", x);
        }

        INDArray derivative() {
            return Arr.fn("cos", x);
        }

        String onnxOp() {
            return "Sin";
        }
    }

    static final class Tanh extends Unary {
        Tanh() {
            super("tanh");
        }

        INDArray apply(INDArray x) {
            return Arr.op("tanh", x);
        }

        /** One native pass: g·(1 − tanh²x). */
        @Override
        INDArray gradient(INDArray g) {
            return Arr.bp("tanh_bp", x, g);
        }

        String onnxOp() {
            return "Tanh";
        }
    }

    static final class Sigmoid extends Unary {
        Sigmoid() {
            super("sigmoid");
        }

        INDArray apply(INDArray x) {
            return Arr.op("sigmoid", x);
        }

        /** One native pass: g·σ(x)(1 − σ(x)). */
        @Override
        INDArray gradient(INDArray g) {
            return Arr.bp("sigmoid_bp", x, g);
        }

        String onnxOp() {
            return "Sigmoid";
        }
    }

    /**
     * g where x > 0, else 0, as step(x) then one multiply in place. libnd4j's {@code relu_bp} computes the same
     * through a per-element std::function and is 7× slower on one thread ([64,6,28,28]: 575 against 84 µs; 2.3×
     * on two). Bit-identical to it for finite g; a non-finite g where x <= 0 gives NaN here, not 0.
     */
    /**
     * 1 where lo &lt; z &lt; hi ({@code inclusive}: lo ≤ z ≤ hi), else 0, in z's dtype: libnd4j's exact scalar steps
     * (step(z, c) is z &gt; c, and z &lt; c is −z &gt; −c), native calls that a compiled step replays, where ND4J's
     * {@code gte}/{@code lt} masks are computed once at capture and would be stale on every replay.
     */
    static INDArray between(INDArray z, double lo, double hi, boolean inclusive) {
        INDArray a = Kernels.empty(z.dataType(), z.shape());
        INDArray b = Kernels.scalar("mul", Kernels.empty(z.dataType(), z.shape()), z, -1.0);
        if (inclusive) {
            Kernels.scalar("step", a, z, hi);
            Kernels.scalar("step", b, b, -lo);
            Kernels.exec("add", a, a, b);
            return Kernels.scalar("rsub", a, a, 1.0);
        }
        Kernels.scalar("step", a, z, lo);
        Kernels.scalar("step", b, b, -hi);
        return Kernels.exec("multiply", a, a, b);
    }

    /**
     * g where v is inside [lo, hi] ({@code inclusive}) or (lo, hi), else 0, in a fresh array: a Java kernel in
     * float32 on the CPU, {@link #between} and a multiply otherwise.
     */
    static INDArray gradientInside(INDArray v, INDArray g, double lo, double hi, boolean inclusive) {
        if (HostArrays.usable(v.dataType(), v.length())) {
            INDArray out = Kernels.empty(g.dataType(), g.shape());
            Kernels.host(inclusive ? "clip_bp" : "clamp_bp", new ClipKernels.Backward((float) lo, (float) hi,
                    inclusive), new INDArray[] {v, g}, new INDArray[] {out});
            return out;
        }
        INDArray inside = between(v, lo, hi, inclusive);
        return Kernels.exec("multiply", inside, inside, g);
    }

    static INDArray reluGradient(INDArray x, INDArray g) {
        INDArray out = Kernels.scalar("step", Kernels.empty(g.dataType(), g.shape()), x, 0.0);
        return Kernels.exec("multiply", out, out, g);
    }

    static final class Relu extends Unary {
        Relu() {
            super("relu");
        }

        INDArray apply(INDArray x) {
            return Arr.op("relu", x, 0.0);
        }

        @Override
        INDArray gradient(INDArray g) {
            return reluGradient(x, g);
        }

        String onnxOp() {
            return "Relu";
        }
    }

    static final class LeakyRelu extends Unary {
        private final double alpha;

        LeakyRelu(double alpha) {
            super("leaky_relu");
            this.alpha = alpha;
        }

        /**
         * relu(x) + α·min(x, 0). Not libnd4j's lrelu, which rounds α to float32 (α = 0.1 gives
         * −0.2000000030 for x = −2 in float64).
         */
        INDArray apply(INDArray x) {
            INDArray negative = Kernels.scalar("min", Kernels.empty(x.dataType(), x.shape()), x, 0.0);
            return Kernels.axpy(negative, alpha, negative, Arr.op("relu", x, 0.0));
        }

        /** g where x > 0, αg elsewhere: α·g + (1 − α)·relu_bp(x, g). */
        @Override
        INDArray gradient(INDArray g) {
            INDArray passed = reluGradient(x, g);
            Kernels.scalar("mul", passed, passed, 1 - alpha);
            return Kernels.axpy(passed, alpha, g, passed);
        }

        String onnxOp() {
            return "LeakyRelu";
        }

        @Override
        Map<String, Object> onnxAttributes() {
            return Map.of("alpha", alpha);
        }
    }

    static final class Elu extends Unary {
        private final double alpha;

        Elu(double alpha) {
            super("elu");
            this.alpha = alpha;
        }

        INDArray apply(INDArray x) {
            return Arr.op("elu", x, alpha);
        }

        /** One native pass: g for x > 0, g·α·eˣ otherwise. */
        @Override
        INDArray gradient(INDArray g) {
            return Arr.bp("elu_bp", x, g, alpha);
        }

        String onnxOp() {
            return "Elu";
        }

        @Override
        Map<String, Object> onnxAttributes() {
            return Map.of("alpha", alpha);
        }
    }

    /** Klambauer et al. 2017, with their fixed-point constants. */
    static final class Selu extends Unary {
        static final double ALPHA = 1.6732632423543772848170429916717;
        static final double LAMBDA = 1.0507009873554804934193349852946;

        Selu() {
            super("selu");
        }

        /** libnd4j's selu uses these same constants. */
        INDArray apply(INDArray x) {
            return Arr.op("selu", x);
        }

        @Override
        INDArray gradient(INDArray g) {
            return Arr.bp("selu_bp", x, g);
        }

        String onnxOp() {
            return "Selu";
        }

        @Override
        Map<String, Object> onnxAttributes() {
            return Map.of("alpha", ALPHA, "gamma", LAMBDA);
        }
    }

    /** GELU in its exact erf form: x·Φ(x) (Hendrycks and Gimpel 2016). */
    static final class Gelu extends Unary {
        private static final double INV_SQRT2 = 0.70710678118654752440;
        private static final double INV_SQRT_2PI = 0.39894228040143267794;
        private INDArray cdf;

        Gelu() {
            super("gelu");
        }

        INDArray apply(INDArray x) {
            INDArray e = Arr.scale(x, INV_SQRT2);
            Kernels.transform("erf", e, e);
            // Φ(x) = (1 + erf(x/√2))/2
            cdf = Arr.scale(Arr.plus(e, 1.0), 0.5);
            return Arr.mul(x, cdf);
        }

        INDArray derivative() {
            // Φ(x) + x·φ(x), φ(x) = e^(−x²/2)/√(2π)
            INDArray pdf = Arr.scale(Arr.mul(x, x), -0.5);
            Kernels.transform("exp", pdf, pdf);
            return Arr.add(Arr.mul(Arr.scale(pdf, INV_SQRT_2PI), x), cdf);
        }

        String onnxOp() {
            return "Gelu";
        }

        @Override
        public void toOnnx(OnnxBuilder onnx, String[] in, String[] out) {
            if (onnx.opset() >= 20) {
                onnx.node("Gelu", in, out);
                return;
            }
            // Before opset 20 there is no Gelu: 0.5·x·(1 + erf(x/√2)).
            String scaled = onnx.fresh("gelu_scaled");
            String erf = onnx.fresh("gelu_erf");
            String plus = onnx.fresh("gelu_plus1");
            String half = onnx.fresh("gelu_half");
            onnx.node("Mul", new String[] {in[0], onnx.constant(scalarLike(INV_SQRT2))}, new String[] {scaled});
            onnx.node("Erf", new String[] {scaled}, new String[] {erf});
            onnx.node("Add", new String[] {erf, onnx.constant(scalarLike(1.0))}, new String[] {plus});
            onnx.node("Mul", new String[] {in[0], onnx.constant(scalarLike(0.5))}, new String[] {half});
            onnx.node("Mul", new String[] {half, plus}, out);
        }

        private INDArray scalarLike(double v) {
            return Nd4j.scalar(x == null ? org.nd4j.linalg.api.buffer.DataType.FLOAT : x.dataType(), v);
        }
    }

    /** log(1 + e^x), computed as relu(x) + log1p(e^−|x|) so large |x| neither overflows nor loses bits. */
    static final class Softplus extends Unary {
        Softplus() {
            super("softplus");
        }

        INDArray apply(INDArray x) {
            INDArray t = Transforms.exp(Transforms.abs(x, true).negi(), false);
            return log1p(t).addi(Transforms.relu(x, true));
        }

        /**
         * log(1 + t) to full precision. libnd4j's log1p is log(1 + t), which rounds 1 + t first and so
         * returns 0 for t below 1e-16 (softplus(-50) would be 0, not 1.9e-22). Kahan's correction:
         * log1p(t) = log(u)·t/(u − 1) with u = 1 + t rounded, and t itself where u rounds to 1.
         */
        private static INDArray log1p(INDArray t) {
            INDArray u = t.add(1.0);
            INDArray r = Transforms.log(u, true).muli(t).divi(u.subi(1.0));
            // u − 1 = 0 gives 0/0 = NaN exactly where log1p(t) = t to double precision.
            BooleanIndexing.replaceWhere(r, t, Conditions.isNan());
            return r;
        }

        INDArray derivative() {
            return Transforms.sigmoid(x, true);
        }

        String onnxOp() {
            return "Softplus";
        }
    }

    static final class Softsign extends Unary {
        Softsign() {
            super("softsign");
        }

        INDArray apply(INDArray x) {
            return Arr.op("softsign", x);
        }

        @Override
        INDArray gradient(INDArray g) {
            return Arr.bp("softsign_bp", x, g);
        }

        String onnxOp() {
            return "Softsign";
        }
    }

    /** max(0, min(1, αx + β)), ONNX's definition (α = 0.2, β = 0.5 by default). */
    static final class HardSigmoid extends Unary {
        private final double alpha;
        private final double beta;

        HardSigmoid(double alpha, double beta) {
            super("hard_sigmoid");
            this.alpha = alpha;
            this.beta = beta;
        }

        INDArray apply(INDArray x) {
            INDArray out = Kernels.empty(x.dataType(), x.shape());
            Kernels.exec("clipbyvalue", new INDArray[] {affine(x)}, new INDArray[] {out}, null,
                    new double[] {0.0, 1.0}, null);
            return out;
        }

        /** αx + β, as native calls (ND4J's own mul/add would be a constant of the first call in a compiled step). */
        private INDArray affine(INDArray x) {
            INDArray z = Kernels.scalar("mul", Kernels.empty(x.dataType(), x.shape()), x, alpha);
            return Kernels.scalar("add", z, z, beta);
        }

        @Override
        INDArray gradient(INDArray g) {
            INDArray d = between(affine(x), 0.0, 1.0, false);
            Kernels.scalar("mul", d, d, alpha);
            return Kernels.exec("multiply", d, d, g);
        }

        String onnxOp() {
            return "HardSigmoid";
        }

        @Override
        Map<String, Object> onnxAttributes() {
            return Map.of("alpha", alpha, "beta", beta);
        }
    }

    static final class Clip extends Unary {
        private final double min;
        private final double max;

        Clip(double min, double max) {
            super("clip");
            if (!(min <= max)) {
                throw new ShapeException("clip: min " + min + " is greater than max " + max);
            }
            this.min = min;
            this.max = max;
        }

        INDArray apply(INDArray x) {
            INDArray out = Kernels.empty(x.dataType(), x.shape());
            if (HostArrays.usable(x.dataType(), x.length())) {
                Kernels.host("clip", new ClipKernels.Forward((float) min, (float) max), new INDArray[] {x},
                        new INDArray[] {out});
            } else if (min == max) {
                // libnd4j's clipbyvalue refuses an empty range ("Op validation failed"); every value is min.
                Kernels.scalar("min", Kernels.scalar("max", out, x, min), out, max);
            } else {
                Kernels.exec("clipbyvalue", new INDArray[] {x}, new INDArray[] {out}, null, new double[] {min, max},
                        null);
            }
            return out;
        }

        @Override
        INDArray gradient(INDArray g) {
            // The gradient passes where the input was inside [min, max], as in PyTorch.
            return gradientInside(x, g, min, max, true);
        }

        String onnxOp() {
            return "Clip";
        }

        @Override
        public void toOnnx(OnnxBuilder onnx, String[] in, String[] out) {
            org.nd4j.linalg.api.buffer.DataType t = x == null ? org.nd4j.linalg.api.buffer.DataType.FLOAT
                    : x.dataType();
            onnx.node("Clip", new String[] {in[0], onnx.constant(Nd4j.scalar(t, min)), onnx.constant(
                    Nd4j.scalar(t, max))}, out);
        }
    }
}

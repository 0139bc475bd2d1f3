package dev.dendrite.onnxbridge.ops.rnn;

import dev.dendrite.onnx.OnnxOp;
import dev.dendrite.ops.F;
import dev.dendrite.tensor.Tensor;
import java.util.Locale;
import java.util.function.UnaryOperator;

/**
 * The activation functions of RNN, GRU and LSTM ({@code activations}, {@code activation_alpha},
 * {@code activation_beta}), composed from primitives. Like ONNX Runtime, the alpha and beta lists are
 * consumed in order by the functions that take a parameter; the others use ONNX's defaults.
 */
final class Activation {
    private Activation() {}

    /**
     * The functions of every direction: {@code [direction][k]}, {@code perDirection} of them each. The
     * attribute lists all directions' functions (or, for a bidirectional node, one direction's, reused).
     */
    static UnaryOperator<Tensor>[][] parse(OnnxOp op, int directions, String... defaults) {
        int n = defaults.length;
        String[] names = op.attr("activations", (String[]) null);
        if (names == null) {
            names = new String[n * directions];
            for (int i = 0; i < names.length; i++) {
                names[i] = defaults[i % n];
            }
        } else if (names.length == n && directions == 2) {
            String[] twice = new String[2 * n];
            System.arraycopy(names, 0, twice, 0, n);
            System.arraycopy(names, 0, twice, n, n);
            names = twice;
        } else if (names.length != n * directions) {
            throw op.error("activations must list " + n * directions + " functions (" + n + " per direction), got "
                    + names.length);
        }
        double[] alphas = op.attr("activation_alpha", new double[0]);
        double[] betas = op.attr("activation_beta", new double[0]);
        int[] next = {0, 0};
        @SuppressWarnings("unchecked")
        UnaryOperator<Tensor>[][] out = new UnaryOperator[directions][n];
        for (int i = 0; i < names.length; i++) {
            out[i / n][i % n] = of(op, names[i], alphas, betas, next);
        }
        return out;
    }

    private static UnaryOperator<Tensor> of(OnnxOp op, String name, double[] alphas, double[] betas, int[] next) {
        String key = name.toLowerCase(Locale.ROOT);
        switch (key) {
            case "sigmoid":
                return F::sigmoid;
            case "tanh":
                return F::tanh;
            case "relu":
                return F::relu;
            case "softsign":
                return F::softsign;
            case "softplus":
                return F::softplus;
            default:
                break;
        }
        double a;
        double b;
        switch (key) {
            case "leakyrelu":
                a = take(alphas, next, 0, 0.01);
                return x -> F.leakyRelu(x, a);
            case "elu":
                a = take(alphas, next, 0, 1.0);
                return x -> F.elu(x, a);
            case "thresholdedrelu":
                a = take(alphas, next, 0, 1.0);
                return x -> F.where(Tensor.of(x.data().gt(a)), x, F.scalar(x, 0));
            case "hardsigmoid":
                a = take(alphas, next, 0, 0.2);
                b = take(betas, next, 1, 0.5);
                return x -> F.hardSigmoid(x, a, b);
            case "affine":
                a = take(alphas, next, 0, 1.0);
                b = take(betas, next, 1, 0.0);
                return x -> F.add(F.mul(x, a), b);
            case "scaledtanh":
                a = take(alphas, next, 0, 1.0);
                b = take(betas, next, 1, 1.0);
                return x -> F.mul(F.tanh(F.mul(x, b)), a);
            default:
                throw op.error("activation '" + name + "' is not supported");
        }
    }

    private static double take(double[] values, int[] next, int which, double otherwise) {
        return next[which] < values.length ? values[next[which]++] : otherwise;
    }
}

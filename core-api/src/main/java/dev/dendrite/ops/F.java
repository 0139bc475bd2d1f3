package dev.dendrite.ops;

import dev.dendrite.tensor.ShapeException;
import dev.dendrite.tensor.Tensor;
import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The primitives as functions, as in {@code torch.nn.functional}: what layers are written in. Every
 * function records itself for backward and writes itself as ONNX, so a layer built from these needs
 * neither backward nor export code.
 */
public final class F {
    private F() {}

    // ---- arithmetic, with NumPy broadcasting ----

    public static Tensor add(Tensor a, Tensor b) {
        return new Binary.Add().apply1(a, b);
    }

    public static Tensor sub(Tensor a, Tensor b) {
        return new Binary.Sub().apply1(a, b);
    }

    public static Tensor mul(Tensor a, Tensor b) {
        return new Binary.Mul().apply1(a, b);
    }

    public static Tensor div(Tensor a, Tensor b) {
        return new Binary.Div().apply1(a, b);
    }

    public static Tensor pow(Tensor a, Tensor b) {
        return new Binary.Pow().apply1(a, b);
    }

    /** A scalar constant of {@code like}'s dtype, for mixing tensors with numbers. */
    public static Tensor scalar(Tensor like, double value) {
        return Tensor.of(Nd4j.scalar(like.dtype(), value));
    }

    public static Tensor add(Tensor a, double b) {
        return add(a, scalar(a, b));
    }

    public static Tensor mul(Tensor a, double b) {
        return mul(a, scalar(a, b));
    }

    public static Tensor pow(Tensor a, double b) {
        return pow(a, scalar(a, b));
    }

    // ---- elementwise math and activations ----

    public static Tensor exp(Tensor x) {
        return new Activations.Exp().apply1(x);
    }

    public static Tensor log(Tensor x) {
        return new Activations.Log().apply1(x);
    }

    public static Tensor sqrt(Tensor x) {
        return new Activations.Sqrt().apply1(x);
    }

    public static Tensor abs(Tensor x) {
        return new Activations.Abs().apply1(x);
    }

    public static Tensor neg(Tensor x) {
        return new Activations.Neg().apply1(x);
    }

    public static Tensor cos(Tensor x) {
        return new Activations.Cos().apply1(x);
    }

    public static Tensor sin(Tensor x) {
        return new Activations.Sin().apply1(x);
    }

    public static Tensor tanh(Tensor x) {
        return new Activations.Tanh().apply1(x);
    }

    public static Tensor sigmoid(Tensor x) {
        return new Activations.Sigmoid().apply1(x);
    }

    public static Tensor relu(Tensor x) {
        return new Activations.Relu().apply1(x);
    }

    public static Tensor leakyRelu(Tensor x, double alpha) {
        return new Activations.LeakyRelu(alpha).apply1(x);
    }

    public static Tensor elu(Tensor x, double alpha) {
        return new Activations.Elu(alpha).apply1(x);
    }

    public static Tensor selu(Tensor x) {
        return new Activations.Selu().apply1(x);
    }

    public static Tensor gelu(Tensor x) {
        return new Activations.Gelu().apply1(x);
    }

    public static Tensor softplus(Tensor x) {
        return new Activations.Softplus().apply1(x);
    }

    public static Tensor softsign(Tensor x) {
        return new Activations.Softsign().apply1(x);
    }

    public static Tensor hardSigmoid(Tensor x, double alpha, double beta) {
        return new Activations.HardSigmoid(alpha, beta).apply1(x);
    }

    public static Tensor hardSigmoid(Tensor x) {
        return hardSigmoid(x, 0.2, 0.5);
    }

    public static Tensor clip(Tensor x, double min, double max) {
        return new Activations.Clip(min, max).apply1(x);
    }

    // ---- linear algebra ----

    /** NumPy matmul: rank-1 operands are promoted to matrices and the added dim removed again. */
    public static Tensor matmul(Tensor a, Tensor b) {
        if (a.rank() == 0 || b.rank() == 0) {
            throw new ShapeException("matmul: scalars are not allowed, got " + Arrays.toString(a.shape()) + " x "
                    + Arrays.toString(b.shape()));
        }
        Tensor a2 = a.rank() == 1 ? unsqueeze(a, 0) : a;
        Tensor b2 = b.rank() == 1 ? unsqueeze(b, 1) : b;
        Tensor y = new MatMul().apply1(a2, b2);
        if (a.rank() == 1) {
            y = squeeze(y, -2);
        }
        if (b.rank() == 1) {
            y = squeeze(y, -1);
        }
        return y;
    }

    /** Y = α·op(A)·op(B) + β·C, C optional (null). */
    public static Tensor gemm(Tensor a, Tensor b, Tensor c, double alpha, double beta, boolean transA,
            boolean transB) {
        Gemm g = new Gemm(alpha, beta, transA, transB);
        return c == null ? g.apply1(a, b) : g.apply1(a, b, c);
    }

    /**
     * x·Wᵀ + b over x's last axis with W in PyTorch's [out, in] layout: one Gemm node for 2-D input, and one GEMM
     * on x viewed as [rows, in] for higher ranks (sequences), never a W broadcast per batch entry.
     */
    public static Tensor linear(Tensor x, Tensor weight, Tensor bias) {
        if (x.rank() == 2) {
            return gemm(x, weight, bias, 1.0, 1.0, false, true);
        }
        if (x.rank() < 2) {
            Tensor y = matmul(x, permute(weight, 1, 0));
            return bias == null ? y : add(y, bias);
        }
        return bias == null ? new Linear().apply1(x, weight) : new Linear().apply1(x, weight, bias);
    }

    // ---- reductions; no axes means all ----

    public static Tensor sum(Tensor x, boolean keepDims, int... axes) {
        return new Reduce.Sum(axes, keepDims).apply1(x);
    }

    public static Tensor mean(Tensor x, boolean keepDims, int... axes) {
        return new Reduce.Mean(axes, keepDims).apply1(x);
    }

    public static Tensor max(Tensor x, boolean keepDims, int... axes) {
        return new Reduce.Extreme(true, axes, keepDims).apply1(x);
    }

    public static Tensor min(Tensor x, boolean keepDims, int... axes) {
        return new Reduce.Extreme(false, axes, keepDims).apply1(x);
    }

    public static Tensor prod(Tensor x, boolean keepDims, int... axes) {
        return new Reduce.Prod(axes, keepDims).apply1(x);
    }

    public static Tensor logSumExp(Tensor x, boolean keepDims, int... axes) {
        return new Reduce.LogSumExp(axes, keepDims).apply1(x);
    }

    public static Tensor softmax(Tensor x, int axis) {
        return new Softmax(axis, false).apply1(x);
    }

    public static Tensor logSoftmax(Tensor x, int axis) {
        return new Softmax(axis, true).apply1(x);
    }

    // ---- shape ----

    /** ONNX semantics: 0 copies the input's dim, one -1 is inferred. */
    public static Tensor reshape(Tensor x, long... shape) {
        return Reshape.reshape(shape).apply1(x);
    }

    public static Tensor flatten(Tensor x, int axis) {
        return Reshape.flatten(axis).apply1(x);
    }

    public static Tensor squeeze(Tensor x, long... axes) {
        return Reshape.squeeze(axes).apply1(x);
    }

    public static Tensor unsqueeze(Tensor x, long... axes) {
        return Reshape.unsqueeze(axes).apply1(x);
    }

    public static Tensor permute(Tensor x, int... perm) {
        return new Permute(perm).apply1(x);
    }

    /** Swaps the last two axes. */
    public static Tensor transpose(Tensor x) {
        int r = x.rank();
        if (r < 2) {
            throw new ShapeException("transpose: expected rank >= 2, got " + Arrays.toString(x.shape()));
        }
        int[] perm = new int[r];
        for (int i = 0; i < r; i++) {
            perm[i] = i;
        }
        perm[r - 2] = r - 1;
        perm[r - 1] = r - 2;
        return permute(x, perm);
    }

    public static Tensor concat(int axis, Tensor... xs) {
        return new Concat(axis).apply1(xs);
    }

    public static Tensor[] split(Tensor x, int axis, long... sizes) {
        return new Split(axis, sizes).apply(x);
    }

    /** ONNX Slice; {@code axes} and {@code steps} may be null (all leading axes, step 1). */
    public static Tensor slice(Tensor x, long[] starts, long[] ends, long[] axes, long[] steps) {
        return new Slice(starts, ends, axes, steps).apply1(x);
    }

    public static Tensor gather(Tensor x, Tensor indices, int axis) {
        return new Gather(axis).apply1(x, indices);
    }

    public static Tensor expand(Tensor x, long... shape) {
        return new Expand(shape).apply1(x);
    }

    public static Tensor where(Tensor condition, Tensor x, Tensor y) {
        return new Where().apply1(condition, x, y);
    }

    public static Tensor cast(Tensor x, DataType to) {
        return new Cast(to).apply1(x);
    }

    // ---- regularisation and normalisation ----

    /** Inverted dropout with a mask drawn from {@code seed}; in eval mode call nothing (it is the identity). */
    /**
     * Per-row cross-entropy of logits [M, C] against int64 class ids [M], with label smoothing ε: the fused
     * log-softmax and negative log-likelihood, whose gradient is (softmax − q)·g. Ids outside [0, C) fail.
     */
    public static Tensor crossEntropy(Tensor logits, Tensor ids, double labelSmoothing) {
        return new ClassNll(true, labelSmoothing).apply1(logits, ids);
    }

    /** Per-row negative log-likelihood of log-probabilities [M, C] at int64 class ids [M]. */
    public static Tensor nll(Tensor logProbs, Tensor ids) {
        return new ClassNll(false, 0).apply1(logProbs, ids);
    }

    /**
     * Standard normal noise shaped like {@code like}, from a native generator seeded with {@code seed} (draw it
     * from the run's stream: {@code rng.nextLong()}). No gradient flows into {@code like}.
     */
    public static Tensor randomNormal(Tensor like, long seed) {
        return new RandomNormal(seed).apply1(like);
    }

    public static Tensor dropout(Tensor x, double p, long seed) {
        return new Dropout(p, seed).apply1(x);
    }

    /** Normalises over the axes from {@code axis} on; {@code beta} may be null. */
    public static Tensor layerNorm(Tensor x, Tensor gamma, Tensor beta, int axis, double eps) {
        LayerNorm ln = new LayerNorm(axis, eps);
        return beta == null ? ln.apply1(x, gamma) : ln.apply1(x, gamma, beta);
    }
}

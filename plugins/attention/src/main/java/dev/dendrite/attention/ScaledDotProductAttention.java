package dev.dendrite.attention;

import dev.dendrite.onnx.OnnxBuilder;
import dev.dendrite.tensor.Function;
import dev.dendrite.tensor.Kernels;
import dev.dendrite.tensor.Shapes;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Scaled dot-product attention (Vaswani et al. 2017) as one primitive:
 *
 * <pre>
 *   S = scale·Q·Kᵀ + mask (+ causal),   P = softmax(S) over keys,   Y = dropout(P)·V
 * </pre>
 *
 * Q [..., Lq, d], K [..., Lk, d], V [..., Lk, dv] with equal leading axes; the mask (input 3, optional) is
 * bool (true = masked, PyTorch's convention) or a float bias, broadcastable to [..., Lq, Lk]; a float mask
 * receives a gradient (a learned relative-position bias trains through it).
 *
 * <p>Two kernels, equally exact (gradient-checked to ~1e-7). The fused one, the default: one matmul, an
 * in-place bias add and softmax, one matmul; backward is two matmuls per input and softmax's backward
 * P ⊙ (dP − Σ dP⊙P). libnd4j's {@code dot_product_attention} and its bp cover fewer forms (no mask or a bool
 * key-padding mask [N, 1, (1,) Lk]; no causal mask, dropout or weights output; [batch, features, time]
 * layout, so Q, K, V and the output go over as transposed views) and measured 2–4× slower here (q, k, v
 * [32, 4, 16, 16] float32: forward 3.2 ms vs 1.7, forward + backward 13 ms vs 2.9, also with contiguous
 * copies), so it runs only when asked for: {@code -Ddendrite.attention.nativeKernel=true}. A query row masked
 * everywhere attends to nothing: its output is 0 (ONNX's definition) rather than NaN.
 *
 * <p>Output 1 (when asked for) is the attention weights after dropout, as PyTorch returns them.
 */
final class ScaledDotProductAttention extends Function {
    static final String NAME = "scaled_dot_product_attention";

    private final boolean causal;
    private final double scale;
    private final double dropout;
    private final long seed;
    private final boolean withWeights;
    private final boolean allowNative;

    private boolean useNative;
    private boolean hasMask;
    private boolean boolMask;
    private boolean empty;
    private DataType type;
    private long[] maskShape;
    // Saved for backward.
    private INDArray q;
    private INDArray k;
    private INDArray v;
    private INDArray keep;
    private INDArray probs;
    private INDArray dropped;
    private INDArray dropMask;

    ScaledDotProductAttention(boolean causal, double scale, double dropout, long seed, boolean withWeights,
            boolean allowNative) {
        this.causal = causal;
        this.scale = scale;
        this.dropout = dropout;
        this.seed = seed;
        this.withWeights = withWeights;
        this.allowNative = allowNative;
    }

    @Override
    public String name() {
        return NAME;
    }

    /** Whether the last call ran on libnd4j's attention kernel (for tests and measurements). */
    boolean ranNative() {
        return useNative;
    }

    @Override
    protected INDArray[] forward(INDArray[] in) {
        AttentionShapes.check(NAME, in);
        q = in[0];
        k = in[1];
        v = in[2];
        type = q.dataType();
        hasMask = in.length > 3;
        INDArray mask = hasMask ? in[3] : null;
        boolMask = hasMask && mask.dataType() == DataType.BOOL;
        maskShape = hasMask ? mask.shape() : null;
        if (q.length() == 0 || k.length() == 0 || v.length() == 0) {
            return emptyForward();
        }
        useNative = allowNative && !causal && dropout == 0 && !withWeights && nativeForm(mask);
        if (useNative) {
            return new INDArray[] {nativeForward()};
        }
        return fusedForward(mask);
    }

    /** Whether libnd4j's kernel computes this call: rank 3 or 4, and no mask or a live bool key-padding mask. */
    private boolean nativeForm(INDArray mask) {
        int r = q.rank();
        if ((r != 3 && r != 4) || q.length() == 0 || k.length() == 0 || v.length() == 0) {
            return false;
        }
        if (mask == null) {
            return true;
        }
        if (!boolMask) {
            return false;
        }
        long[] m = AttentionShapes.padLeft(mask.shape(), r);
        for (int i = 1; i < r - 1; i++) {
            if (m[i] != 1) {
                return false;
            }
        }
        if (m[r - 1] != k.size(r - 2)) {
            return false;
        }
        // libnd4j's key mask: [batch, Lk], 1 = attend. Its −1e9 bias would spread a fully masked row
        // uniformly; such rows go the fused way (output 0).
        INDArray keep2 = mask.castTo(type).reshape('c', m[0], m[r - 1]).rsub(1.0);
        if (keep2.sum(1).minNumber().doubleValue() == 0) {
            return false;
        }
        keep = m[0] == q.size(0) ? keep2 : keep2.repeat(0, q.size(0));
        return true;
    }

    // ---- libnd4j's kernel ----

    /** libnd4j scales by 1/√d itself, or by nothing: another scale is applied to Q first. */
    private boolean nativeScales() {
        return scale == 1.0 / Math.sqrt(q.size(q.rank() - 1));
    }

    private INDArray[] nativeInputs(INDArray qs) {
        INDArray[] args = keep == null ? new INDArray[3] : new INDArray[4];
        args[0] = swapLast(qs);
        args[1] = swapLast(k);
        args[2] = swapLast(v);
        if (keep != null) {
            args[3] = keep;
        }
        return args;
    }

    private INDArray nativeForward() {
        INDArray qs = nativeScales() ? q : q.mul(scale);
        long[] outShape = q.shape().clone();
        outShape[outShape.length - 1] = v.size(v.rank() - 1);
        INDArray y = Kernels.empty(type, outShape);
        Kernels.exec("dot_product_attention", nativeInputs(qs), new INDArray[] {swapLast(y)},
                new long[] {nativeScales() ? 1 : 0, 0}, null, null);
        return y;
    }

    private INDArray[] nativeBackward(INDArray g) {
        INDArray qs = nativeScales() ? q : q.mul(scale);
        INDArray dq = Kernels.empty(type, q.shape());
        INDArray dk = Kernels.empty(type, k.shape());
        INDArray dv = Kernels.empty(type, v.shape());
        INDArray[] args = nativeInputs(qs);
        INDArray[] withGrad = new INDArray[args.length + 1];
        System.arraycopy(args, 0, withGrad, 0, 3);
        withGrad[3] = swapLast(g);
        if (keep != null) {
            withGrad[4] = keep;
        }
        Kernels.exec("dot_product_attention_bp", withGrad, new INDArray[] {swapLast(dq), swapLast(dk), swapLast(dv)},
                new long[] {nativeScales() ? 1 : 0}, null, null);
        if (!nativeScales()) {
            dq.muli(scale);
        }
        return new INDArray[] {needsGrad(0) ? dq : null, needsGrad(1) ? dk : null, needsGrad(2) ? dv : null};
    }

    private static INDArray swapLast(INDArray x) {
        int r = x.rank();
        int[] perm = new int[r];
        for (int i = 0; i < r; i++) {
            perm[i] = i;
        }
        perm[r - 2] = r - 1;
        perm[r - 1] = r - 2;
        return x.permute(perm);
    }

    /** No queries, keys or features: libnd4j's matmul refuses empty operands, and an empty sum is 0. */
    private INDArray[] emptyForward() {
        empty = true;
        long[] y = q.shape().clone();
        y[y.length - 1] = v.size(v.rank() - 1);
        long[] w = q.shape().clone();
        w[w.length - 1] = k.size(k.rank() - 2);
        INDArray out = Nd4j.zeros(type, y);
        return withWeights ? new INDArray[] {out, Nd4j.zeros(type, w)} : new INDArray[] {out};
    }

    // ---- fused ----

    private INDArray[] fusedForward(INDArray mask) {
        INDArray s = Nd.mm(q, k, false, true);
        Kernels.scalar("mul", s, s, scale);
        INDArray bias = null;
        if (hasMask) {
            bias = boolMask ? Nd.additive(mask, type) : mask;
        }
        if (causal) {
            INDArray c = Nd.causal(type, q.size(q.rank() - 2), k.size(k.rank() - 2));
            bias = bias == null ? c : Nd.binary("add", bias, c);
        }
        if (bias != null) {
            Nd.inPlace("add", s, bias);
        }
        Kernels.exec("softmax", s, new long[] {s.rank() - 1}, s);
        if (bias != null) {
            // A query whose every key is masked (a row of −∞) gets NaN from softmax: attend to nothing instead.
            // Always, rather than after reading the mask on the host, so that a compiled step replays it.
            Kernels.scalar("replace_nans", s, s, 0.0);
        }
        probs = s;
        dropped = probs;
        if (dropout > 0) {
            dropMask = Kernels.dropoutMask(type, s.shape(), dropout, seed);
            dropped = Nd.binary("multiply", probs, dropMask);
        }
        INDArray y = Nd.mm(dropped, v, false, false);
        return withWeights ? new INDArray[] {y, dropped} : new INDArray[] {y};
    }

    @Override
    protected INDArray[] backward(INDArray[] g) {
        INDArray[] grads = new INDArray[hasMask ? 4 : 3];
        if (empty) {
            INDArray[] in = {q, k, v};
            for (int i = 0; i < 3; i++) {
                grads[i] = needsGrad(i) ? Nd4j.zeros(type, in[i].shape()) : null;
            }
            if (hasMask && !boolMask && needsGrad(3)) {
                grads[3] = Nd4j.zeros(type, maskShape);
            }
            return grads;
        }
        if (useNative) {
            System.arraycopy(nativeBackward(g[0]), 0, grads, 0, 3);
            return grads;
        }
        if (needsGrad(2)) {
            grads[2] = Nd.mm(dropped, g[0], true, false);
        }
        boolean maskGrad = hasMask && !boolMask && needsGrad(3);
        if (!needsGrad(0) && !needsGrad(1) && !maskGrad) {
            return grads;
        }
        INDArray dp = Nd.mm(g[0], v, false, true);
        if (withWeights) {
            Nd.inPlace("add", dp, g[1]);
        }
        if (dropMask != null) {
            Nd.inPlace("multiply", dp, dropMask);
        }
        // softmax backward: dS = P ⊙ (dP − Σⱼ dP⊙P)
        INDArray dpp = Nd.binary("multiply", dp, probs);
        INDArray dots = Nd.sumLast(dpp);
        INDArray ds = Nd.inPlace("multiply", Nd.inPlace("subtract", dp, dots), probs);
        if (maskGrad) {
            grads[3] = Shapes.unbroadcast(ds, maskShape);
            if (grads[3] == ds) {
                grads[3] = ds.dup();
            }
        }
        if (needsGrad(0)) {
            grads[0] = Nd.mm(ds, k, false, false);
            Kernels.scalar("mul", grads[0], grads[0], scale);
        }
        if (needsGrad(1)) {
            grads[1] = Nd.mm(ds, q, true, false);
            Kernels.scalar("mul", grads[1], grads[1], scale);
        }
        return grads;
    }

    @Override
    public void toOnnx(OnnxBuilder onnx, String[] inputs, String[] outputs) {
        new AttentionOnnx(type, q.rank(), q.size(q.rank() - 2), k.size(k.rank() - 2), causal, scale,
                maskShape, boolMask,
                withWeights)
                .write(onnx, inputs, outputs);
    }

}

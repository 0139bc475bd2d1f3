package dev.dendrite.ops;

import dev.dendrite.onnx.OnnxBuilder;
import dev.dendrite.tensor.Function;
import dev.dendrite.tensor.Kernels;
import dev.dendrite.tensor.ShapeException;
import dev.dendrite.tensor.Shapes;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.BooleanIndexing;
import org.nd4j.linalg.indexing.conditions.Conditions;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Reductions over a set of axes (all axes when none are given), with or without kept dims. Backward
 * broadcasts the gradient back over the reduced axes, weighted by each reduction's own derivative.
 */
abstract class Reduce extends Function {
    private final String name;
    private final String onnxOp;
    private final int[] requestedAxes;
    protected final boolean keepDims;
    protected int[] axes;
    protected INDArray x;
    /** The output's shape with the reduced dims kept as size 1, so it broadcasts against x. */
    private long[] kept;
    private INDArray y;

    Reduce(String name, String onnxOp, int[] axes, boolean keepDims) {
        this.name = name;
        this.onnxOp = onnxOp;
        this.requestedAxes = axes;
        this.keepDims = keepDims;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    protected INDArray[] forward(INDArray[] in) {
        Shapes.requireFloating(name, in[0]);
        x = in[0];
        if (requestedAxes.length == 0) {
            axes = new int[x.rank()];
            for (int i = 0; i < axes.length; i++) {
                axes[i] = i;
            }
        } else {
            axes = Shapes.axes(name, requestedAxes, x.shape());
        }
        for (int a : axes) {
            if (x.size(a) == 0 && !allowsEmpty()) {
                throw new ShapeException(name + ": cannot reduce over empty axis " + a + " of shape "
                        + Shapes.str(x.shape()));
            }
        }
        kept = x.shape().clone();
        for (int a : axes) {
            kept[a] = 1;
        }
        y = compute(x, axes, keepDims ? kept : reducedShape());
        return new INDArray[] {y};
    }

    /** The output with reduced dims kept, for broadcasting against x in backward. */
    protected final INDArray yKept() {
        return keepDims ? y : y.reshape('c', kept);
    }

    /** The incoming gradient with reduced dims kept. */
    protected final INDArray kept(INDArray g) {
        // A single value broadcasts as it is: no reshape (an array allocation) needed.
        return keepDims || g.length() == 1 ? g : g.reshape('c', kept);
    }

    /** One native reduction ({@code reduce_sum}, ...) straight into an output of the final shape. */
    protected final INDArray nativeReduce(String kernel, INDArray x, int[] axes, long[] outShape) {
        INDArray out = Kernels.empty(x.dataType(), outShape);
        long[] ax = new long[axes.length];
        for (int i = 0; i < ax.length; i++) {
            ax[i] = axes[i];
        }
        if ("reduce_sum".equals(kernel)) {
            return Kernels.reduceSum(out, x, keepDims, ax);
        }
        Kernels.exec(kernel, new INDArray[] {x}, new INDArray[] {out}, ax, null, new boolean[] {keepDims});
        return out;
    }

    /** {@code g} (reduced dims kept) broadcast to x's shape, as a new array. */
    protected final INDArray broadcastToInput(INDArray gKept) {
        INDArray out = Kernels.empty(x.dataType(), x.shape());
        return Kernels.exec("assign", out, out, gKept);
    }

    private long[] reducedShape() {
        long[] s = new long[x.rank() - axes.length];
        int j = 0;
        outer:
        for (int i = 0; i < x.rank(); i++) {
            for (int a : axes) {
                if (a == i) {
                    continue outer;
                }
            }
            s[j++] = x.size(i);
        }
        return s;
    }

    /** Sum and product have an identity (0, 1) and so reduce empty axes; max and min do not. */
    boolean allowsEmpty() {
        return false;
    }

    /** The reduction into an array of {@code outShape} (kept dims or not, as asked). */
    abstract INDArray compute(INDArray x, int[] axes, long[] outShape);


    @Override
    protected INDArray[] backward(INDArray[] g) {
        if (!needsGrad(0)) {
            return new INDArray[] {null};
        }
        if (x.isEmpty()) {
            // Sum and prod of empty axes: the gradient of an empty input is empty (native ops refuse empties).
            return new INDArray[] {org.nd4j.linalg.factory.Nd4j.create(x.dataType(), x.shape())};
        }
        return new INDArray[] {gradient(kept(g[0]))};
    }

    /** dL/dx from the incoming gradient with reduced dims kept. */
    abstract INDArray gradient(INDArray gKept);

    @Override
    public void toOnnx(OnnxBuilder onnx, String[] inputs, String[] outputs) {
        long[] ax = new long[axes.length];
        for (int i = 0; i < ax.length; i++) {
            ax[i] = axes[i];
        }
        Map<String, Object> keep = Map.of("keepdims", keepDims ? 1L : 0L);
        // ReduceSum takes axes as an input from opset 13, the other reductions only from opset 18.
        boolean axesAsInput = onnxOp.equals("ReduceSum") ? onnx.opset() >= 13 : onnx.opset() >= 18;
        if (axesAsInput) {
            onnx.node(onnxOp, new String[] {inputs[0], onnx.int64s(ax)}, outputs, keep);
        } else {
            onnx.node(onnxOp, inputs, outputs, Map.of("keepdims", keepDims ? 1L : 0L, "axes", ax));
        }
    }

    static final class Sum extends Reduce {
        Sum(int[] axes, boolean keepDims) {
            super("sum", "ReduceSum", axes, keepDims);
        }

        @Override
        boolean allowsEmpty() {
            return true;
        }

        INDArray compute(INDArray x, int[] axes, long[] outShape) {
            return x.isEmpty() ? org.nd4j.linalg.factory.Nd4j.zeros(x.dataType(), outShape)
                    : nativeReduce("reduce_sum", x, axes, outShape);
        }

        @Override
        INDArray gradient(INDArray gKept) {
            return broadcastToInput(gKept);
        }

    }

    static final class Mean extends Reduce {
        Mean(int[] axes, boolean keepDims) {
            super("mean", "ReduceMean", axes, keepDims);
        }

        INDArray compute(INDArray x, int[] axes, long[] outShape) {
            return nativeReduce("reduce_mean", x, axes, outShape);
        }

        @Override
        INDArray gradient(INDArray gKept) {
            long n = x.length() / Math.max(1, gKept.length());
            INDArray g = broadcastToInput(gKept);
            return Kernels.scalar("mul", g, g, 1.0 / n);
        }

    }

    /** Max and min: the gradient goes to the arg-extreme, split evenly between ties (as PyTorch's amax). */
    static final class Extreme extends Reduce {
        private final boolean max;

        Extreme(boolean max, int[] axes, boolean keepDims) {
            super(max ? "max" : "min", max ? "ReduceMax" : "ReduceMin", axes, keepDims);
            this.max = max;
        }

        INDArray compute(INDArray x, int[] axes, long[] outShape) {
            return nativeReduce(max ? "reduce_max" : "reduce_min", x, axes, outShape);
        }

        @Override
        INDArray gradient(INDArray gKept) {
            INDArray hit = Arr.mask(Arr.compare("equals", x, yKept()), x.dataType());
            return Arr.mul(Arr.div(hit, hit.sum(true, axes)), gKept);
        }
    }

    static final class Prod extends Reduce {
        Prod(int[] axes, boolean keepDims) {
            super("prod", "ReduceProd", axes, keepDims);
        }

        @Override
        boolean allowsEmpty() {
            return true;
        }

        INDArray compute(INDArray x, int[] axes, long[] outShape) {
            // The empty product is 1 (ND4J refuses to reduce an empty array).
            return x.isEmpty() ? org.nd4j.linalg.factory.Nd4j.ones(x.dataType(), outShape)
                    : nativeReduce("reduce_prod", x, axes, outShape);
        }

        /**
         * The product of the other elements. y/x is that except at zeros: with one zero in a group its
         * gradient is the product of the non-zeros, with two or more every gradient in the group is 0.
         */
        @Override
        INDArray gradient(INDArray gKept) {
            INDArray zero = Arr.mask(x.eq(0.0), x.dataType());
            INDArray safe = x.add(zero); // zeros replaced by ones
            long[] keptShape = yKept().shape();
            INDArray prodNonZero = safe.prod(true, axes).reshape('c', keptShape);
            INDArray zeros = zero.sum(true, axes).reshape('c', keptShape);
            INDArray noZero = Arr.mask(zeros.eq(0.0), x.dataType());
            INDArray oneZero = Arr.mask(zeros.eq(1.0), x.dataType());
            INDArray atNonZero = Arr.mul(Arr.div(prodNonZero, safe), noZero);
            INDArray atZero = Arr.mul(zero, Arr.mul(prodNonZero, oneZero));
            return Arr.mul(atNonZero.muli(zero.rsub(1.0)).addi(atZero), gKept);
        }
    }

    /** log Σ exp(x), shifted by the max so it never overflows. */
    static final class LogSumExp extends Reduce {
        LogSumExp(int[] axes, boolean keepDims) {
            super("logsumexp", "ReduceLogSumExp", axes, keepDims);
        }

        INDArray compute(INDArray x, int[] axes, long[] outShape) {
            INDArray m = x.max(true, axes);
            // An infinite max would give inf − inf = NaN: shift by 0 there, so all −inf gives −inf.
            BooleanIndexing.replaceWhere(m, 0.0, Conditions.isInfinite());
            INDArray s = Transforms.exp(Arr.sub(x, m), false).sum(true, axes);
            return Transforms.log(s, false).addi(m).reshape('c', outShape);
        }

        @Override
        INDArray gradient(INDArray gKept) {
            return Arr.mul(Transforms.exp(Arr.sub(x, yKept()), false), gKept);
        }
    }
}

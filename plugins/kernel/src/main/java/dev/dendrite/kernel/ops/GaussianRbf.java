package dev.dendrite.kernel.ops;

import dev.dendrite.onnx.OnnxBuilder;
import dev.dendrite.tensor.Function;
import dev.dendrite.tensor.Kernels;
import dev.dendrite.tensor.ShapeException;
import dev.dendrite.tensor.Shapes;
import dev.dendrite.tensor.Tensor;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Gaussian RBF units as one primitive: {@code y[b, j] = exp(−γ_j · d²[b, j])} with
 * {@code d² = max(0, ‖x‖² − 2x·cᵀ + ‖c‖²)}, {@code γ = exp(logγ)}, for x [batch, in], centres c [k, in] and logγ
 * [k]. Composed from primitives the layer made about fifteen arrays and their gradients per step (3.6× a dense
 * layer of the same size); here the forward is one GEMM and a few in-place passes, and the backward two GEMMs:
 * with H = ∂L/∂d² = −g·y·γ,
 * <pre>
 *   ∂L/∂x = 2·(rowsum H)·x − 2·H·c      ∂L/∂c = 2·(colsum H)·c − 2·Hᵀ·x      ∂L/∂logγ = colsum(H·d²)
 * </pre>
 * The clamp at 0 only removes rounding negatives where x sits on a centre, where ∂d²/∂x = 2(x − c) is ~0
 * anyway, so the backward treats it as the identity. ONNX: the same formula in standard nodes (MatMul,
 * ReduceSum, Relu, Exp).
 */
public final class GaussianRbf extends Function {
    private INDArray x;
    private INDArray c;
    private INDArray gamma;
    private INDArray d2;
    private INDArray y;

    public static Tensor apply(Tensor x, Tensor centres, Tensor logGamma) {
        return new GaussianRbf().apply1(x, centres, logGamma);
    }

    @Override
    public String name() {
        return "gaussian_rbf";
    }

    @Override
    protected INDArray[] forward(INDArray[] in) {
        x = in[0];
        c = in[1];
        INDArray logGamma = in[2];
        Shapes.requireFloating(name(), x);
        if (x.rank() != 2 || c.rank() != 2 || x.size(1) != c.size(1) || logGamma.rank() != 1
                || logGamma.size(0) != c.size(0)) {
            throw new ShapeException(name() + ": expected x [batch, in], centres [k, in], log_gamma [k], got "
                    + Shapes.str(x.shape()) + ", " + Shapes.str(c.shape()) + ", " + Shapes.str(logGamma.shape()));
        }
        if (x.dataType() != c.dataType() || logGamma.dataType() != c.dataType()) {
            throw new ShapeException(name() + ": input is " + x.dataType() + ", centres " + c.dataType()
                    + ", log_gamma " + logGamma.dataType() + "; they must match");
        }
        long k = c.size(0);
        long b = x.size(0);
        DataType t = x.dataType();
        // Every step a native call into arrays of its own (replayable by a compiled step): γ = e^logγ,
        // d² = max(0, ‖x‖² − 2x·cᵀ + ‖c‖²), y = e^(−γ·d²).
        gamma = Kernels.transform("exp", Kernels.empty(t, k), logGamma).reshape('c', new long[] {1, k});
        d2 = Kernels.matmul(x, c, false, true);
        Kernels.scalar("mul", d2, d2, -2.0);
        Kernels.exec("add", d2, d2, sqNorms(x).reshape('c', new long[] {b, 1}));
        Kernels.exec("add", d2, d2, sqNorms(c).reshape('c', new long[] {1, k}));
        Kernels.scalar("max", d2, d2, 0.0);
        y = Kernels.exec("multiply", Kernels.empty(t, b, k), d2, gamma);
        Kernels.transform("neg", y, y);
        Kernels.transform("exp", y, y);
        return new INDArray[] {y};
    }

    /** ‖row‖² of every row of a matrix, [rows]. */
    private static INDArray sqNorms(INDArray m) {
        return reduce("reduce_sqnorm", m, 1, new long[] {m.size(0)}, false);
    }

    /** One native reduction of a matrix along {@code axis} into an array of {@code shape}. */
    private static INDArray reduce(String op, INDArray m, int axis, long[] shape, boolean keep) {
        INDArray out = Kernels.empty(m.dataType(), shape);
        Kernels.exec(op, new INDArray[] {m}, new INDArray[] {out}, new long[] {axis}, null, new boolean[] {keep});
        return out;
    }

    /** Σ of a matrix along {@code axis}, kept as a size-1 axis. */
    private static INDArray sumKept(INDArray m, int axis) {
        long[] shape = m.shape().clone();
        shape[axis] = 1;
        return Kernels.reduceSum(Kernels.empty(m.dataType(), shape), m, true, axis);
    }

    @Override
    protected INDArray[] backward(INDArray[] g) {
        // H = ∂L/∂d² = −g·y·γ
        INDArray h = Kernels.exec("multiply", Kernels.empty(y.dataType(), y.shape()), g[0], y);
        Kernels.exec("multiply", h, h, gamma);
        Kernels.transform("neg", h, h);
        INDArray dx = null;
        INDArray dc = null;
        INDArray dLogGamma = null;
        if (needsGrad(0)) {
            // 2·(rowsum H)·x − 2·H·c
            dx = Kernels.exec("multiply", Kernels.empty(x.dataType(), x.shape()), x, sumKept(h, 1));
            Kernels.scalar("mul", dx, dx, 2.0);
            Kernels.axpy(dx, -2.0, Kernels.matmul(h, c, false, false), dx);
        }
        if (needsGrad(1)) {
            // 2·(colsum H)·c − 2·Hᵀ·x
            dc = Kernels.exec("multiply", Kernels.empty(c.dataType(), c.shape()), c,
                    sumKept(h, 0).reshape('c', new long[] {c.size(0), 1}));
            Kernels.scalar("mul", dc, dc, 2.0);
            Kernels.axpy(dc, -2.0, Kernels.matmul(h, x, true, false), dc);
        }
        if (needsGrad(2)) {
            INDArray hd = Kernels.exec("multiply", Kernels.empty(h.dataType(), h.shape()), h, d2);
            dLogGamma = Kernels.reduceSum(Kernels.empty(hd.dataType(), c.size(0)), hd, false, 0);
        }
        return new INDArray[] {dx, dc, dLogGamma};
    }

    @Override
    public void toOnnx(OnnxBuilder onnx, String[] inputs, String[] outputs) {
        String x = inputs[0];
        String c = inputs[1];
        String two = onnx.constant(Nd4j.scalar(this.c.dataType(), 2.0));
        String one = onnx.int64s(1);
        // ReduceSum takes its axes as an input from opset 13, the oldest the exporter writes.
        String xx = node(onnx, "ReduceSum", "xx", Map.of("keepdims", 1L), node(onnx, "Mul", "x2", x, x), one);
        String cc = node(onnx, "ReduceSum", "cc", Map.of("keepdims", 0L), node(onnx, "Mul", "c2", c, c), one);
        String xc = node(onnx, "MatMul", "xc", x, node(onnx, "Transpose", "ct", Map.of("perm", new long[] {1, 0}), c));
        String d2 = node(onnx, "Relu", "d2", node(onnx, "Add", "d2raw",
                node(onnx, "Sub", "xxmxc", xx, node(onnx, "Mul", "xc2", xc, two)), cc));
        String scaled = node(onnx, "Mul", "gd2", d2, node(onnx, "Exp", "gamma", inputs[2]));
        onnx.node("Exp", new String[] {node(onnx, "Neg", "neg", scaled)}, outputs);
    }

    private static String node(OnnxBuilder onnx, String op, String hint, String... in) {
        return node(onnx, op, hint, Map.of(), in);
    }

    private static String node(OnnxBuilder onnx, String op, String hint, Map<String, Object> attrs, String... in) {
        String out = onnx.fresh(hint);
        onnx.node(op, in, new String[] {out}, attrs);
        return out;
    }
}

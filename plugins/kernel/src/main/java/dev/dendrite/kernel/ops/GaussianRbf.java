package dev.dendrite.kernel.ops;

import dev.dendrite.kernel.SquaredDistances;
import dev.dendrite.onnx.OnnxBuilder;
import dev.dendrite.tensor.Function;
import dev.dendrite.tensor.ShapeException;
import dev.dendrite.tensor.Shapes;
import dev.dendrite.tensor.Tensor;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

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
        gamma = Transforms.exp(logGamma, true).reshape(1, k);
        d2 = SquaredDistances.of(x, c);
        y = Transforms.exp(d2.mulRowVector(gamma).negi(), false);
        return new INDArray[] {y};
    }

    @Override
    protected INDArray[] backward(INDArray[] g) {
        INDArray h = g[0].mul(y).muliRowVector(gamma).negi(); // ∂L/∂d²
        INDArray dx = null;
        INDArray dc = null;
        INDArray dLogGamma = null;
        // Each gradient is written once: the diagonal term allocates it, the GEMM accumulates into it (β = 1).
        if (needsGrad(0)) {
            dx = x.mulColumnVector(h.sum(true, 1).reshape(x.size(0), 1).muli(2.0));
            Nd4j.gemm(h, c, dx, false, false, -2.0, 1.0);
        }
        if (needsGrad(1)) {
            dc = c.mulColumnVector(h.sum(0).reshape(c.size(0), 1).muli(2.0));
            Nd4j.gemm(h, x, dc, true, false, -2.0, 1.0);
        }
        if (needsGrad(2)) {
            dLogGamma = h.mul(d2).sum(0);
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

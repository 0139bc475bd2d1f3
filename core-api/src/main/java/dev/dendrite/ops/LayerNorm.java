package dev.dendrite.ops;

import dev.dendrite.onnx.OnnxBuilder;
import dev.dendrite.tensor.Function;
import dev.dendrite.tensor.ShapeException;
import dev.dendrite.tensor.Shapes;
import java.util.Arrays;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Layer normalisation over the trailing axes from {@code axis} on (Ba et al. 2016; ONNX
 * LayerNormalization): y = (x − μ)/√(σ² + ε)·γ + β, with γ and β shaped like those trailing axes.
 *
 * <p>Backward, with x̂ the normalised input and N the normalised count:
 * dx = (1/σ)·(dx̂ − mean(dx̂) − x̂·mean(dx̂·x̂)), dx̂ = g·γ; dγ = Σ g·x̂, dβ = Σ g over the leading axes.
 */
final class LayerNorm extends Function {
    private final int requestedAxis;
    private final double eps;
    private int[] normAxes;
    private int[] leadAxes;
    private INDArray xhat;
    private INDArray rstd;
    private INDArray gamma;
    private int inputCount;

    LayerNorm(int axis, double eps) {
        this.requestedAxis = axis;
        this.eps = eps;
    }

    @Override
    public String name() {
        return "layer_norm";
    }

    @Override
    protected INDArray[] forward(INDArray[] in) {
        Shapes.sameFloating("layer_norm", in);
        INDArray x = in[0];
        int axis = Shapes.axis("layer_norm", requestedAxis, x.shape());
        long[] norm = Arrays.copyOfRange(x.shape(), axis, x.rank());
        for (int i = 1; i < in.length; i++) {
            if (!Arrays.equals(in[i].shape(), norm)) {
                throw new ShapeException("layer_norm: " + (i == 1 ? "scale" : "bias") + " has shape "
                        + Shapes.str(in[i].shape()) + ", expected " + Shapes.str(norm) + " (input dims from axis "
                        + axis + " of " + Shapes.str(x.shape()) + ")");
            }
        }
        inputCount = in.length;
        normAxes = range(axis, x.rank());
        leadAxes = range(0, axis);
        INDArray mean = Arr.meanKept(x, normAxes);
        INDArray centred = Arr.sub(x, mean);
        INDArray var = Arr.meanKept(Arr.mul(centred, centred), normAxes);
        rstd = Arr.binary("Pow", Arr.plus(var, eps), Arr.scalar(var.dataType(), -0.5));
        xhat = Arr.mul(centred, rstd);
        gamma = in[1];
        INDArray y = Arr.mul(xhat, gamma);
        return new INDArray[] {in.length > 2 ? Arr.add(y, in[2]) : y};
    }

    private static int[] range(int from, int to) {
        int[] r = new int[to - from];
        for (int i = 0; i < r.length; i++) {
            r[i] = from + i;
        }
        return r;
    }

    @Override
    protected INDArray[] backward(INDArray[] gs) {
        INDArray g = gs[0];
        INDArray[] grads = new INDArray[inputCount];
        if (needsGrad(0)) {
            INDArray dxhat = Arr.mul(g, gamma);
            INDArray m1 = Arr.meanKept(dxhat, normAxes);
            INDArray m2 = Arr.meanKept(Arr.mul(dxhat, xhat), normAxes);
            grads[0] = Arr.mul(Arr.sub(Arr.sub(dxhat, m1), Arr.mul(xhat, m2)), rstd);
        }
        if (needsGrad(1)) {
            grads[1] = sumLead(Arr.mul(g, xhat));
        }
        if (inputCount > 2 && needsGrad(2)) {
            grads[2] = sumLead(g);
        }
        return grads;
    }

    private INDArray sumLead(INDArray a) {
        return leadAxes.length == 0 ? a : Arr.sumKept(a, leadAxes).reshape('c', gamma.shape());
    }

    @Override
    public void toOnnx(OnnxBuilder onnx, String[] inputs, String[] outputs) {
        int axis = leadAxes.length;
        if (onnx.opset() >= 17) {
            onnx.node("LayerNormalization", inputs, outputs, Map.of("axis", (long) axis, "epsilon", eps));
            return;
        }
        // Opset 13: spell it out.
        long[] axes = Arrays.stream(normAxes).asLongStream().toArray();
        String mean = onnx.fresh("ln_mean");
        String centred = onnx.fresh("ln_centred");
        String sq = onnx.fresh("ln_sq");
        String var = onnx.fresh("ln_var");
        String varEps = onnx.fresh("ln_var_eps");
        String std = onnx.fresh("ln_std");
        String xhatName = onnx.fresh("ln_xhat");
        onnx.node("ReduceMean", new String[] {inputs[0]}, new String[] {mean}, Map.of("axes", axes, "keepdims", 1L));
        onnx.node("Sub", new String[] {inputs[0], mean}, new String[] {centred});
        onnx.node("Mul", new String[] {centred, centred}, new String[] {sq});
        onnx.node("ReduceMean", new String[] {sq}, new String[] {var}, Map.of("axes", axes, "keepdims", 1L));
        onnx.node("Add", new String[] {var, onnx.constant(org.nd4j.linalg.factory.Nd4j.scalar(xhat.dataType(), eps))},
                new String[] {varEps});
        onnx.node("Sqrt", new String[] {varEps}, new String[] {std});
        onnx.node("Div", new String[] {centred, std}, new String[] {xhatName});
        if (inputs.length > 2) {
            String scaled = onnx.fresh("ln_scaled");
            onnx.node("Mul", new String[] {xhatName, inputs[1]}, new String[] {scaled});
            onnx.node("Add", new String[] {scaled, inputs[2]}, outputs);
        } else {
            onnx.node("Mul", new String[] {xhatName, inputs[1]}, outputs);
        }
    }
}

package dev.dendrite.onnxbridge.ops.math;

import dev.dendrite.onnx.OnnxBuilder;
import dev.dendrite.tensor.Function;
import dev.dendrite.tensor.Kernels;
import dev.dendrite.tensor.Shapes;
import dev.dendrite.tensor.Tensor;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/** The error function, elementwise; d erf(x)/dx = 2/√π · e^(−x²). */
public final class Erf extends Function {
    private static final double TWO_OVER_SQRT_PI = 1.12837916709551257390;
    private INDArray x;

    /** erf(x) as a differentiable tensor. */
    public static Tensor erf(Tensor x) {
        return new Erf().apply1(x);
    }

    @Override
    public String name() {
        return "erf";
    }

    @Override
    protected INDArray[] forward(INDArray[] in) {
        Shapes.requireFloating("erf", in[0]);
        x = in[0];
        INDArray y = Kernels.empty(x.dataType(), x.shape());
        if (!x.isEmpty()) {
            Nd4j.getExecutioner().exec(new org.nd4j.linalg.api.ops.impl.transforms.strict.Erf(x, y));
        }
        return new INDArray[] {y};
    }

    @Override
    protected INDArray[] backward(INDArray[] g) {
        if (!needsGrad(0)) {
            return new INDArray[] {null};
        }
        INDArray d = Transforms.exp(x.mul(x).negi(), false).muli(TWO_OVER_SQRT_PI);
        return new INDArray[] {d.muli(g[0])};
    }

    @Override
    public void toOnnx(OnnxBuilder onnx, String[] inputs, String[] outputs) {
        onnx.node("Erf", inputs, outputs);
    }
}

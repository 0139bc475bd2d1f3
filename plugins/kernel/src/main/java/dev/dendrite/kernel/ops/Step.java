package dev.dendrite.kernel.ops;

import dev.dendrite.onnx.OnnxBuilder;
import dev.dendrite.onnx.OnnxTypes;
import dev.dendrite.tensor.Function;
import dev.dendrite.tensor.Shapes;
import dev.dendrite.tensor.Tensor;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The Heaviside step Θ(x) = 1 for x > 0, else 0: the degree-0 arc-cosine unit. Its derivative is zero
 * wherever it exists, so the gradient it passes back is zero. ONNX has no step op: it is written as
 * {@code Cast(Greater(x, 0))}.
 */
public final class Step extends Function {
    private long[] shape;
    private DataType dtype;

    public static Tensor apply(Tensor x) {
        return new Step().apply1(x);
    }

    @Override
    public String name() {
        return "step";
    }

    @Override
    protected INDArray[] forward(INDArray[] in) {
        Shapes.requireFloating(name(), in[0]);
        shape = in[0].shape();
        dtype = in[0].dataType();
        return new INDArray[] {Transforms.step(in[0], true)};
    }

    @Override
    protected INDArray[] backward(INDArray[] g) {
        return new INDArray[] {needsGrad(0) ? Nd4j.zeros(g[0].dataType(), shape) : null};
    }

    @Override
    public void toOnnx(OnnxBuilder onnx, String[] inputs, String[] outputs) {
        String zero = onnx.constant(Nd4j.scalar(dtype, 0.0));
        String positive = onnx.fresh("positive");
        onnx.node("Greater", new String[] {inputs[0], zero}, new String[] {positive});
        onnx.node("Cast", new String[] {positive}, outputs, Map.of("to", OnnxTypes.of(dtype)));
    }
}

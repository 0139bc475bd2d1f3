package dev.dendrite.ops;

import dev.dendrite.onnx.OnnxBuilder;
import dev.dendrite.tensor.Function;
import dev.dendrite.tensor.Shapes;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/** An elementwise function y = f(x): backward is g·f'(x), written from whichever of x and y is cheaper. */
abstract class Unary extends Function {
    private final String name;
    protected INDArray x;
    protected INDArray y;

    Unary(String name) {
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    protected final INDArray[] forward(INDArray[] in) {
        if (in.length != 1) {
            throw new IllegalArgumentException(name + " takes one input, got " + in.length);
        }
        Shapes.requireFloating(name, in[0]);
        x = in[0];
        y = apply(x);
        return new INDArray[] {y};
    }

    @Override
    protected final INDArray[] backward(INDArray[] g) {
        return new INDArray[] {needsGrad(0) ? gradient(g[0]) : null};
    }

    /** g·f'(x); an op with a fused native backward overrides this. */
    INDArray gradient(INDArray g) {
        return Arr.mul(g, derivative());
    }

    /** f(x) into a new array. */
    abstract INDArray apply(INDArray x);

    /** f'(x), elementwise, in x's shape; ops that override {@link #gradient} with a fused kernel need none. */
    INDArray derivative() {
        throw new UnsupportedOperationException(name + ": override derivative() or gradient()");
    }

    /** Most map to one ONNX op with optional attributes. */
    static void single(OnnxBuilder onnx, String op, String[] in, String[] out, Map<String, Object> attrs) {
        onnx.node(op, in, out, attrs);
    }

    @Override
    public void toOnnx(OnnxBuilder onnx, String[] inputs, String[] outputs) {
        single(onnx, onnxOp(), inputs, outputs, onnxAttributes());
    }

    abstract String onnxOp();

    Map<String, Object> onnxAttributes() {
        return Map.of();
    }
}

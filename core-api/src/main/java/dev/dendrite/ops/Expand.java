package dev.dendrite.ops;

import dev.dendrite.onnx.OnnxBuilder;
import dev.dendrite.tensor.Function;
import dev.dendrite.tensor.Shapes;
import org.nd4j.linalg.api.ndarray.INDArray;

/** ONNX Expand: broadcasts x against a shape (both ways, as ONNX does); backward sums back down. */
final class Expand extends Function {
    private final long[] shape;
    private long[] inShape;

    Expand(long... shape) {
        this.shape = shape.clone();
    }

    @Override
    public String name() {
        return "expand";
    }

    @Override
    protected INDArray[] forward(INDArray[] in) {
        inShape = in[0].shape();
        return new INDArray[] {Arr.broadcastTo(in[0], Shapes.broadcast("expand", inShape, shape)).dup('c')};
    }

    @Override
    protected INDArray[] backward(INDArray[] g) {
        return new INDArray[] {needsGrad(0) ? Shapes.unbroadcast(g[0], inShape) : null};
    }

    @Override
    public void toOnnx(OnnxBuilder onnx, String[] inputs, String[] outputs) {
        // Where x already has the target size, write 1 (broadcasting keeps x's size): an exported model then
        // follows x's size there at run time, so a batch dimension stays symbolic instead of being baked in.
        long[] written = shape.clone();
        int offset = written.length - inShape.length;
        for (int i = Math.max(0, offset); i < written.length; i++) {
            if (inShape[i - offset] == written[i]) {
                written[i] = 1;
            }
        }
        onnx.node("Expand", new String[] {inputs[0], onnx.int64s(written)}, outputs);
    }
}

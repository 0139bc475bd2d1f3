package dev.dendrite.ops;

import dev.dendrite.onnx.OnnxBuilder;
import dev.dendrite.tensor.Function;
import dev.dendrite.tensor.Kernels;
import dev.dendrite.tensor.ShapeException;
import dev.dendrite.tensor.Shapes;
import java.util.Arrays;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Splits along one axis into pieces of the given sizes; backward concatenates the gradients. */
final class Split extends Function {
    private final int requestedAxis;
    private final long[] sizes;
    private int axis;

    Split(int axis, long... sizes) {
        this.requestedAxis = axis;
        this.sizes = sizes.clone();
    }

    @Override
    public String name() {
        return "split";
    }

    @Override
    protected INDArray[] forward(INDArray[] in) {
        axis = Shapes.axis("split", requestedAxis, in[0].shape());
        long total = Arrays.stream(sizes).sum();
        if (sizes.length == 0 || Arrays.stream(sizes).anyMatch(s -> s < 0) || total != in[0].size(axis)) {
            throw new ShapeException("split: sizes " + Arrays.toString(sizes) + " do not add up to dim " + axis
                    + " of " + Shapes.str(in[0].shape()));
        }
        INDArray[] out = new INDArray[sizes.length];
        long start = 0;
        for (int i = 0; i < sizes.length; i++) {
            out[i] = Concat.slice(in[0], axis, start, start + sizes[i]);
            start += sizes[i];
        }
        return out;
    }

    @Override
    protected INDArray[] backward(INDArray[] g) {
        return new INDArray[] {needsGrad(0) ? (g.length == 1 ? g[0] : Kernels.concat(axis, g)) : null};
    }

    @Override
    public void toOnnx(OnnxBuilder onnx, String[] inputs, String[] outputs) {
        // The split sizes as an input is valid from opset 13 on, 18's num_outputs not needed.
        onnx.node("Split", new String[] {inputs[0], onnx.int64s(sizes)}, outputs, Map.of("axis", (long) axis));
    }
}

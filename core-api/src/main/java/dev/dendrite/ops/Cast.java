package dev.dendrite.ops;

import dev.dendrite.onnx.OnnxBuilder;
import dev.dendrite.onnx.OnnxTypes;
import dev.dendrite.tensor.Function;
import dev.dendrite.tensor.Kernels;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Converts the dtype; the gradient is cast back (and does not flow into integer inputs). */
final class Cast extends Function {
    private final DataType to;
    private DataType from;

    Cast(DataType to) {
        this.to = to;
    }

    @Override
    public String name() {
        return "cast";
    }

    @Override
    protected INDArray[] forward(INDArray[] in) {
        from = in[0].dataType();
        return new INDArray[] {from == to ? Kernels.copy(in[0]) : Kernels.cast(Kernels.empty(to, in[0].shape()), in[0])};
    }

    @Override
    protected INDArray[] backward(INDArray[] g) {
        return new INDArray[] {needsGrad(0) && from.isFPType()
                ? Kernels.cast(Kernels.empty(from, g[0].shape()), g[0]) : null};
    }

    @Override
    public void toOnnx(OnnxBuilder onnx, String[] inputs, String[] outputs) {
        onnx.node("Cast", inputs, outputs, Map.of("to", OnnxTypes.of(to)));
    }
}

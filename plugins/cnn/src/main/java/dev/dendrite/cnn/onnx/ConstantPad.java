package dev.dendrite.cnn.onnx;

import dev.dendrite.onnx.OnnxBuilder;
import dev.dendrite.tensor.Function;
import dev.dendrite.tensor.ShapeException;
import dev.dendrite.tensor.Shapes;
import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Adds {@code begin[d]} cells before and {@code end[d]} after each axis d, filled with a constant (negative
 * amounts crop instead): ONNX Pad in constant mode, which it exports as. Forward copies the input into an
 * array of the fill value; backward copies the gradient of the kept cells back (cropped cells get 0).
 * The converters use it for pooling's −∞ padding and for transposed convolution's output window.
 */
final class ConstantPad extends Function {
    private final long[] begin;
    private final long[] end;
    private final double value;
    private DataType type;
    private long[] xShape;
    private INDArrayIndex[] inX;
    private INDArrayIndex[] inY;

    ConstantPad(long[] begin, long[] end, double value) {
        if (begin.length != end.length) {
            throw new ShapeException("pad: begin and end must have the same length, got " + Arrays.toString(begin)
                    + " and " + Arrays.toString(end));
        }
        this.begin = begin.clone();
        this.end = end.clone();
        this.value = value;
    }

    @Override
    public String name() {
        return "pad";
    }

    @Override
    protected INDArray[] forward(INDArray[] in) {
        INDArray x = in[0];
        int r = x.rank();
        if (begin.length != r) {
            throw new ShapeException("pad: expected " + begin.length + " axes, got input " + Shapes.str(x.shape()));
        }
        xShape = x.shape().clone();
        type = x.dataType();
        long[] outShape = new long[r];
        inX = new INDArrayIndex[r];
        inY = new INDArrayIndex[r];
        boolean overlap = true;
        for (int d = 0; d < r; d++) {
            outShape[d] = xShape[d] + begin[d] + end[d];
            if (outShape[d] < 0) {
                throw new ShapeException("pad: cropping " + -begin[d] + " and " + -end[d] + " cells from axis " + d
                        + " of " + Shapes.str(xShape) + " leaves nothing");
            }
            // The kept input cells [x0, x1) land at [x0 + begin, x1 + begin) of the output.
            long x0 = Math.max(0, -begin[d]);
            long x1 = Math.min(xShape[d], outShape[d] - begin[d]);
            overlap &= x1 > x0;
            inX[d] = NDArrayIndex.interval(x0, Math.max(x0, x1));
            inY[d] = NDArrayIndex.interval(x0 + begin[d], Math.max(x0, x1) + begin[d]);
        }
        INDArray y = Nd4j.valueArrayOf(outShape, value, x.dataType());
        if (overlap) {
            y.get(inY).assign(x.get(inX));
        } else {
            inX = null;
        }
        return new INDArray[] {y};
    }

    @Override
    protected INDArray[] backward(INDArray[] gradOut) {
        if (!needsGrad(0)) {
            return new INDArray[] {null};
        }
        INDArray g = Nd4j.zeros(gradOut[0].dataType(), xShape);
        if (inX != null) {
            g.get(inX).assign(gradOut[0].get(inY));
        }
        return new INDArray[] {g};
    }

    @Override
    public void toOnnx(OnnxBuilder onnx, String[] inputs, String[] outputs) {
        long[] pads = new long[2 * begin.length];
        System.arraycopy(begin, 0, pads, 0, begin.length);
        System.arraycopy(end, 0, pads, begin.length, end.length);
        // Pad-11+: data, pads, constant_value (a scalar of the data's dtype); negative pads crop.
        String fill = onnx.constant(Nd4j.scalar(value).castTo(type));
        onnx.node("Pad", new String[] {inputs[0], onnx.int64s(pads), fill}, outputs);
    }
}

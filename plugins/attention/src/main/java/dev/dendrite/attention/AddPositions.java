package dev.dendrite.attention;

import dev.dendrite.onnx.OnnxBuilder;
import dev.dendrite.tensor.Function;
import dev.dendrite.tensor.Kernels;
import dev.dendrite.tensor.ShapeException;
import dev.dendrite.tensor.Shapes;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * y = x + PE[:T] for x [T, N, d] (time axis 0) or [N, T, d] (time axis 1) and a table PE [maxLen, d]. One
 * primitive rather than a Slice and an Add so the export reads T from x at run time (Shape → Slice → Slice):
 * an exported model takes any sequence length up to maxLen, where a traced Slice would fix it.
 * Backward: dx = g; dPE[:T] = Σ over the batch axis of g, the rows past T get 0.
 */
final class AddPositions extends Function {
    private final int timeAxis;
    private long[] tableShape;
    private long length;

    AddPositions(int timeAxis) {
        this.timeAxis = timeAxis;
    }

    @Override
    public String name() {
        return "add_positions";
    }

    @Override
    protected INDArray[] forward(INDArray[] in) {
        INDArray x = in[0];
        INDArray table = in[1];
        Shapes.sameFloating(name(), x, table);
        tableShape = table.shape();
        if (x.rank() != 3 || table.rank() != 2 || x.size(2) != table.size(1)) {
            throw new ShapeException(name() + ": expected x [.., .., " + table.size(1) + "] and a table [maxLen, d], got x "
                    + Shapes.str(x.shape()) + ", table " + Shapes.str(tableShape));
        }
        length = x.size(timeAxis);
        if (length > tableShape[0]) {
            throw new ShapeException("sequence length " + length + " exceeds maxLen " + tableShape[0] + " (input "
                    + Shapes.str(x.shape()) + ")");
        }
        INDArray pe = table.get(NDArrayIndex.interval(0, length), NDArrayIndex.all());
        INDArray bcast = timeAxis == 0 ? pe.reshape('c', length, 1, tableShape[1]) : pe.reshape('c', 1, length, tableShape[1]);
        INDArray y = Kernels.empty(x.dataType(), x.shape());
        return new INDArray[] {Kernels.exec("add", y, x, bcast)};
    }

    @Override
    protected INDArray[] backward(INDArray[] g) {
        INDArray dTable = null;
        if (needsGrad(1)) {
            dTable = Nd4j.zeros(g[0].dataType(), tableShape);
            INDArray summed = g[0].sum(1 - timeAxis);
            dTable.get(NDArrayIndex.interval(0, length), NDArrayIndex.all()).assign(summed);
        }
        return new INDArray[] {needsGrad(0) ? g[0] : null, dTable};
    }

    @Override
    public void toOnnx(OnnxBuilder onnx, String[] inputs, String[] outputs) {
        String shape = onnx.fresh("/positions_shape");
        onnx.node("Shape", new String[] {inputs[0]}, new String[] {shape});
        String t = onnx.fresh("/positions_length");
        onnx.node("Slice", new String[] {shape, onnx.int64s(timeAxis), onnx.int64s(timeAxis + 1), onnx.int64s(0)},
                new String[] {t});
        String rows = onnx.fresh("/positions_rows");
        onnx.node("Slice", new String[] {inputs[1], onnx.int64s(0), t, onnx.int64s(0)}, new String[] {rows});
        String pe = rows;
        if (timeAxis == 0) {
            pe = onnx.fresh("/positions_time_first");
            onnx.node("Unsqueeze", new String[] {rows, onnx.int64s(1)}, new String[] {pe});
        }
        onnx.node("Add", new String[] {inputs[0], pe}, new String[] {outputs[0]}, Map.of());
    }
}

package dev.dendrite.ops;

import dev.dendrite.onnx.OnnxBuilder;
import dev.dendrite.tensor.Function;
import dev.dendrite.tensor.Kernels;
import dev.dendrite.tensor.ShapeException;
import dev.dendrite.tensor.Shapes;
import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * ONNX Slice: starts, ends, axes and steps (negative steps walk backwards), clamped as ONNX clamps them.
 * Each sliced axis becomes one native gather of the selected positions; backward scatters them back.
 */
final class Slice extends Function {
    private final long[] starts;
    private final long[] ends;
    private final long[] axesArg;
    private final long[] steps;
    private int[] axes;
    private INDArray[] picks;
    private long[][] shapesBefore;

    Slice(long[] starts, long[] ends, long[] axes, long[] steps) {
        int n = starts.length;
        if (ends.length != n || (axes != null && axes.length != n) || (steps != null && steps.length != n)) {
            throw new ShapeException("slice: starts, ends, axes and steps must have the same length, got "
                    + Arrays.toString(starts) + ", " + Arrays.toString(ends) + ", " + Arrays.toString(axes) + ", "
                    + Arrays.toString(steps));
        }
        this.starts = starts.clone();
        this.ends = ends.clone();
        this.axesArg = axes == null ? null : axes.clone();
        this.steps = steps == null ? null : steps.clone();
    }

    @Override
    public String name() {
        return "slice";
    }

    @Override
    protected INDArray[] forward(INDArray[] in) {
        INDArray x = in[0];
        int n = starts.length;
        axes = new int[n];
        for (int i = 0; i < n; i++) {
            axes[i] = axesArg == null ? i : Shapes.axis("slice", (int) axesArg[i], x.shape());
        }
        if (Arrays.stream(axes).distinct().count() != n) {
            throw new ShapeException("slice: repeated axis in " + Arrays.toString(axesArg));
        }
        picks = new INDArray[n];
        shapesBefore = new long[n][];
        for (int i = 0; i < n; i++) {
            long step = steps == null ? 1 : steps[i];
            if (step == 0) {
                throw new ShapeException("slice: step 0 on axis " + axes[i] + " of " + Shapes.str(x.shape()));
            }
            picks[i] = positions(x.size(axes[i]), starts[i], ends[i], step);
            shapesBefore[i] = x.shape();
            long[] outShape = x.shape().clone();
            outShape[axes[i]] = picks[i].length();
            INDArray out = Kernels.empty(x.dataType(), outShape);
            if (out.length() > 0) {
                Kernels.exec("gather", out, new long[] {axes[i]}, x, picks[i]);
            }
            x = out;
        }
        return new INDArray[] {x};
    }

    /** The positions start, start+step, ... before end, after ONNX's clamping. */
    private static INDArray positions(long dim, long start, long end, long step) {
        long s = start < 0 ? start + dim : start;
        long e = end < 0 ? end + dim : end;
        if (step > 0) {
            s = Math.max(0, Math.min(s, dim));
            e = Math.max(0, Math.min(e, dim));
        } else {
            s = Math.max(0, Math.min(s, dim - 1));
            e = Math.max(-1, Math.min(e, dim - 1));
        }
        // ceil((e − s) / step) without overflow for steps near ±Long.MAX_VALUE (e and s are clamped).
        long count = step > 0 ? (e > s ? (e - s - 1) / step + 1 : 0) : (s > e ? (s - e - 1) / -step + 1 : 0);
        long[] pos = new long[(int) count];
        for (int i = 0; i < count; i++) {
            pos[i] = s + i * step;
        }
        return Nd4j.createFromArray(pos);
    }

    @Override
    protected INDArray[] backward(INDArray[] g) {
        if (!needsGrad(0)) {
            return new INDArray[] {null};
        }
        INDArray grad = g[0];
        for (int i = picks.length - 1; i >= 0; i--) {
            grad = Gather.scatterAdd(shapesBefore[i], axes[i], picks[i], grad);
        }
        return new INDArray[] {grad};
    }

    @Override
    public void toOnnx(OnnxBuilder onnx, String[] inputs, String[] outputs) {
        long[] ax = Arrays.stream(axes).asLongStream().toArray();
        long[] st = steps == null ? new long[starts.length] : steps;
        if (steps == null) {
            Arrays.fill(st, 1);
        }
        onnx.node("Slice", new String[] {inputs[0], onnx.int64s(starts), onnx.int64s(ends), onnx.int64s(ax),
            onnx.int64s(st)}, outputs);
    }
}

package dev.dendrite.ops;

import dev.dendrite.onnx.OnnxBuilder;
import dev.dendrite.tensor.Function;
import dev.dendrite.tensor.ShapeException;
import dev.dendrite.tensor.Shapes;
import java.util.Arrays;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Every op that only changes the shape: reshape, flatten, squeeze, unsqueeze. Backward reshapes the
 * gradient back. Each keeps the form it was asked in (ONNX's 0 = "copy this dim", -1 = "infer"), so the
 * exported graph stays valid for any batch size.
 */
final class Reshape extends Function {
    enum Kind { RESHAPE, FLATTEN, SQUEEZE, UNSQUEEZE }

    private final Kind kind;
    private final long[] spec;
    private long[] inShape;

    private Reshape(Kind kind, long[] spec) {
        this.kind = kind;
        this.spec = spec;
    }

    /** ONNX Reshape semantics (allowzero = 0): 0 copies the input dim, one -1 is inferred. */
    static Reshape reshape(long... spec) {
        return new Reshape(Kind.RESHAPE, spec.clone());
    }

    static Reshape flatten(int axis) {
        return new Reshape(Kind.FLATTEN, new long[] {axis});
    }

    static Reshape squeeze(long... axes) {
        return new Reshape(Kind.SQUEEZE, axes.clone());
    }

    static Reshape unsqueeze(long... axes) {
        return new Reshape(Kind.UNSQUEEZE, axes.clone());
    }

    @Override
    public String name() {
        return kind.name().toLowerCase();
    }

    @Override
    protected INDArray[] forward(INDArray[] in) {
        inShape = in[0].shape();
        long[] out = switch (kind) {
            case RESHAPE -> resolve(inShape, spec);
            case FLATTEN -> flattened(inShape, (int) spec[0]);
            case SQUEEZE -> squeezed(inShape, spec);
            case UNSQUEEZE -> unsqueezed(inShape, spec);
        };
        return new INDArray[] {in[0].reshape('c', out)};
    }

    private long[] resolve(long[] in, long[] s) {
        long[] out = new long[s.length];
        int infer = -1;
        long known = 1;
        for (int i = 0; i < s.length; i++) {
            if (s[i] == -1) {
                if (infer >= 0) {
                    throw new ShapeException("reshape: more than one -1 in " + Arrays.toString(s));
                }
                infer = i;
                continue;
            }
            if (s[i] == 0) {
                if (i >= in.length) {
                    throw new ShapeException("reshape: 0 at position " + i + " copies a dim that input "
                            + Shapes.str(in) + " does not have");
                }
                out[i] = in[i];
            } else if (s[i] < 0) {
                throw new ShapeException("reshape: invalid dim " + s[i] + " in " + Arrays.toString(s));
            } else {
                out[i] = s[i];
            }
            known *= out[i];
        }
        long total = Shapes.numel(in);
        if (infer >= 0) {
            if (known == 0 || total % known != 0) {
                throw new ShapeException("reshape: cannot reshape " + Shapes.str(in) + " (" + total + " elements) to "
                        + Arrays.toString(s));
            }
            out[infer] = total / known;
        } else if (known != total) {
            throw new ShapeException("reshape: cannot reshape " + Shapes.str(in) + " (" + total + " elements) to "
                    + Arrays.toString(s) + " (" + known + " elements)");
        }
        return out;
    }

    private static long[] flattened(long[] in, int requested) {
        int axis = requested < 0 ? requested + in.length : requested;
        if (axis < 0 || axis > in.length) {
            throw new ShapeException("flatten: axis " + requested + " is out of range for input " + Shapes.str(in));
        }
        long outer = Shapes.numel(Arrays.copyOfRange(in, 0, axis));
        long inner = Shapes.numel(Arrays.copyOfRange(in, axis, in.length));
        return new long[] {outer, inner};
    }

    private static long[] squeezed(long[] in, long[] axes) {
        boolean[] drop = new boolean[in.length];
        if (axes.length == 0) {
            for (int i = 0; i < in.length; i++) {
                drop[i] = in[i] == 1;
            }
        }
        for (long a : axes) {
            int ax = Shapes.axis("squeeze", (int) a, in.length);
            if (in[ax] != 1) {
                throw new ShapeException("squeeze: axis " + a + " of " + Shapes.str(in) + " has size " + in[ax]
                        + ", not 1");
            }
            drop[ax] = true;
        }
        return Arrays.stream(indices(in.length)).filter(i -> !drop[i]).mapToLong(i -> in[i]).toArray();
    }

    private static long[] unsqueezed(long[] in, long[] axes) {
        int rank = in.length + axes.length;
        boolean[] add = new boolean[rank];
        for (long a : axes) {
            int ax = Shapes.axis("unsqueeze", (int) a, rank);
            if (add[ax]) {
                throw new ShapeException("unsqueeze: axis " + a + " is repeated in " + Arrays.toString(axes));
            }
            add[ax] = true;
        }
        long[] out = new long[rank];
        for (int i = 0, j = 0; i < rank; i++) {
            out[i] = add[i] ? 1 : in[j++];
        }
        return out;
    }

    private static int[] indices(int n) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) {
            r[i] = i;
        }
        return r;
    }

    @Override
    protected INDArray[] backward(INDArray[] g) {
        return new INDArray[] {needsGrad(0) ? g[0].reshape('c', inShape) : null};
    }

    @Override
    public void toOnnx(OnnxBuilder onnx, String[] inputs, String[] outputs) {
        switch (kind) {
            case RESHAPE -> onnx.node("Reshape", new String[] {inputs[0], onnx.int64s(spec)}, outputs);
            case FLATTEN -> onnx.node("Flatten", inputs, outputs, Map.of("axis", spec[0]));
            case SQUEEZE -> onnx.node("Squeeze", spec.length == 0 ? inputs
                    : new String[] {inputs[0], onnx.int64s(spec)}, outputs);
            case UNSQUEEZE -> onnx.node("Unsqueeze", new String[] {inputs[0], onnx.int64s(spec)}, outputs);
        }
    }
}

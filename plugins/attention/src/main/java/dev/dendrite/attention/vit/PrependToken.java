package dev.dendrite.attention.vit;

import dev.dendrite.onnx.OnnxBuilder;
import dev.dendrite.tensor.Function;
import dev.dendrite.tensor.Kernels;
import dev.dendrite.tensor.ShapeException;
import dev.dendrite.tensor.Shapes;
import dev.dendrite.tensor.Tensor;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Prepends one learned token to every sequence of a batch: {@code [token; x₁; …; x_T]}, for tokens x [N, T, d] and
 * token [1, 1, d] → [N, T + 1, d] (ViT's {@code torch.cat((cls_token.expand(N, -1, -1), x), dim=1)}). Backward:
 * ∂x = g[:, 1:], ∂token = Σₙ g[n, 0].
 *
 * <p>A primitive of its own because the batch size is known only at run time: composed from Expand + Concat, the
 * export would bake the traced batch into the Expand's shape. Here the ONNX target shape is read from x:
 * {@code Concat(Slice(Shape(x), 0, 1), [1, d])}, so the exported graph takes any batch.
 */
final class PrependToken extends Function {
    private long d;

    static Tensor apply(Tensor x, Tensor token) {
        return new PrependToken().apply1(x, token);
    }

    @Override
    public String name() {
        return "prepend_token";
    }

    @Override
    protected INDArray[] forward(INDArray[] in) {
        INDArray x = in[0];
        INDArray token = in[1];
        Shapes.sameFloating(name(), x, token);
        if (x.rank() != 3 || token.rank() != 3 || token.size(0) != 1 || token.size(1) != 1
                || token.size(2) != x.size(2)) {
            throw new ShapeException(name() + ": expected tokens [N, T, d] and a token [1, 1, d], got "
                    + Shapes.str(x.shape()) + " and " + Shapes.str(token.shape()));
        }
        d = x.size(2);
        // The token broadcast to every example, then joined in front: native calls a compiled step replays.
        INDArray tokens = Kernels.assign(Kernels.empty(x.dataType(), new long[] {x.size(0), 1, d}), token);
        return new INDArray[] {Kernels.concat(1, tokens, x)};
    }

    @Override
    protected INDArray[] backward(INDArray[] g) {
        INDArray dx = needsGrad(0)
                ? Kernels.copy(g[0].get(NDArrayIndex.all(), NDArrayIndex.interval(1, g[0].size(1)), NDArrayIndex.all()))
                : null;
        INDArray dToken = null;
        if (needsGrad(1)) {
            // Σ over the batch of the gradient at position 0, [1, 1, d].
            INDArray first = g[0].get(NDArrayIndex.all(), NDArrayIndex.interval(0, 1), NDArrayIndex.all());
            dToken = Kernels.empty(g[0].dataType(), new long[] {1, 1, d});
            Kernels.exec("reduce_sum", new INDArray[] {first}, new INDArray[] {dToken}, new long[] {0}, null,
                    new boolean[] {true});
        }
        return new INDArray[] {dx, dToken};
    }

    @Override
    public void toOnnx(OnnxBuilder onnx, String[] inputs, String[] outputs) {
        String shape = onnx.fresh("x_shape");
        onnx.node("Shape", new String[] {inputs[0]}, new String[] {shape});
        String batch = onnx.fresh("batch");
        onnx.node("Slice", new String[] {shape, onnx.int64s(0), onnx.int64s(1), onnx.int64s(0)}, new String[] {batch});
        String target = onnx.fresh("token_shape");
        onnx.node("Concat", new String[] {batch, onnx.int64s(1, d)}, new String[] {target}, Map.of("axis", 0L));
        String expanded = onnx.fresh("tokens");
        onnx.node("Expand", new String[] {inputs[1], target}, new String[] {expanded});
        onnx.node("Concat", new String[] {expanded, inputs[0]}, outputs, Map.of("axis", 1L));
    }
}

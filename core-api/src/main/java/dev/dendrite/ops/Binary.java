package dev.dendrite.ops;

import dev.dendrite.onnx.OnnxBuilder;
import dev.dendrite.tensor.Function;
import dev.dendrite.tensor.Kernels;
import dev.dendrite.tensor.Shapes;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.BooleanIndexing;
import org.nd4j.linalg.indexing.conditions.Conditions;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Elementwise arithmetic with NumPy broadcasting. Backward sums each gradient back down to its
 * input's shape ({@link Shapes#unbroadcast}), which is what broadcasting's adjoint is.
 */
abstract class Binary extends Function {
    private final String name;
    private final String kernel;
    private final String onnxOp;
    protected INDArray a;
    protected INDArray b;
    protected INDArray y;

    Binary(String name, String kernel, String onnxOp) {
        this.name = name;
        this.kernel = kernel;
        this.onnxOp = onnxOp;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    protected INDArray[] forward(INDArray[] in) {
        Shapes.sameFloating(name, in);
        a = in[0];
        b = in[1];
        y = Kernels.empty(a.dataType(), Shapes.broadcast(name, a.shape(), b.shape()));
        Kernels.exec(kernel, y, a, b);
        return new INDArray[] {y};
    }

    @Override
    protected INDArray[] backward(INDArray[] g) {
        return new INDArray[] {
            needsGrad(0) ? Shapes.unbroadcast(gradA(g[0]), a.shape()) : null,
            needsGrad(1) ? Shapes.unbroadcast(gradB(g[0]), b.shape()) : null
        };
    }

    /** dL/da before un-broadcasting, in the output's shape. */
    abstract INDArray gradA(INDArray g);

    abstract INDArray gradB(INDArray g);

    @Override
    public void toOnnx(OnnxBuilder onnx, String[] inputs, String[] outputs) {
        onnx.node(onnxOp, inputs, outputs);
    }

    static final class Add extends Binary {
        Add() {
            super("add", "add", "Add");
        }

        @Override
        INDArray gradA(INDArray g) {
            return g;
        }

        @Override
        INDArray gradB(INDArray g) {
            return g;
        }
    }

    static final class Sub extends Binary {
        Sub() {
            super("sub", "subtract", "Sub");
        }

        @Override
        INDArray gradA(INDArray g) {
            return g;
        }

        @Override
        INDArray gradB(INDArray g) {
            return Arr.fn("neg", g);
        }
    }

    static final class Mul extends Binary {
        Mul() {
            super("mul", "multiply", "Mul");
        }

        @Override
        INDArray gradA(INDArray g) {
            return Arr.mul(g, b);
        }

        @Override
        INDArray gradB(INDArray g) {
            return Arr.mul(g, a);
        }
    }

    static final class Div extends Binary {
        Div() {
            super("div", "divide", "Div");
        }

        @Override
        INDArray gradA(INDArray g) {
            return Arr.div(g, b);
        }

        @Override
        INDArray gradB(INDArray g) {
            // d(a/b)/db = -a/b^2 = -y/b
            INDArray r = Arr.div(Arr.mul(g, y), b);
            return Kernels.transform("neg", r, r);
        }
    }

    static final class Pow extends Binary {
        Pow() {
            super("pow", "Pow", "Pow");
        }

        @Override
        INDArray gradA(INDArray g) {
            // b * a^(b-1), written as b * y / a would divide by zero at a = 0.
            INDArray bMinus1 = b.sub(1.0);
            INDArray p = Arr.binary("Pow", a, bMinus1);
            // For b < 1 the slope at a = 0 is infinite; take 0 there (the subgradient PyTorch's norm and cdist
            // use), so that a distance ‖x − c‖ = (Σ(x − c)²)^½ at x = c gives 0, not 0·∞ = NaN.
            BooleanIndexing.replaceWhere(p, 0.0, Conditions.isInfinite());
            return Arr.mul(g, Arr.mul(b, p));
        }

        @Override
        INDArray gradB(INDArray g) {
            // y * ln(a); at a = 0 the limit is 0 (y vanishes faster than ln a diverges), as in PyTorch.
            INDArray logA = Transforms.log(a, true);
            BooleanIndexing.replaceWhere(logA, 0.0, Conditions.isInfinite());
            return Arr.mul(Arr.mul(g, y), logA);
        }
    }
}

package dev.dendrite.tensor;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * An ND4J array plus, when it requires a gradient, the tape node that made it. Eager and
 * define-by-run: every operation runs at once and, under {@link GradMode}, records itself for
 * {@link #backward()}.
 *
 * <p>The handle is immutable; only a leaf's buffer changes, in place, when an optimizer updates a
 * parameter, and a leaf's {@link #grad()} accumulates across backward passes until {@link #zeroGrad()}.
 */
public final class Tensor {
    private final INDArray data;
    private final boolean requiresGrad;
    private Node node;
    private final int outputIndex;
    private INDArray grad;

    Tensor(INDArray data, boolean requiresGrad) {
        this.data = data;
        this.requiresGrad = requiresGrad;
        this.outputIndex = 0;
    }

    Tensor(INDArray data, Node node, int outputIndex) {
        this.data = data;
        this.requiresGrad = true;
        this.node = node;
        this.outputIndex = outputIndex;
    }

    /** A constant: no gradient flows into it. */
    public static Tensor of(INDArray data) {
        return new Tensor(data, false);
    }

    /** A leaf that collects a gradient: a parameter, or an input whose gradient you want. */
    public static Tensor leaf(INDArray data) {
        if (!data.dataType().isFPType()) {
            throw new ShapeException("leaf: only floating-point tensors can require a gradient, got "
                    + data.dataType());
        }
        return new Tensor(data, true);
    }

    public static Tensor scalar(double value, DataType type) {
        return of(Nd4j.scalar(type, value));
    }

    public INDArray data() {
        return data;
    }

    /** A copy: ND4J hands out its internal shape array, and editing that would corrupt the tensor. */
    public long[] shape() {
        return data.shape().clone();
    }

    public long size(int axis) {
        return data.size(Shapes.axis("size", axis, data.rank()));
    }

    public int rank() {
        return data.rank();
    }

    public DataType dtype() {
        return data.dataType();
    }

    public boolean requiresGrad() {
        return requiresGrad;
    }

    public boolean isLeaf() {
        return node == null;
    }

    /**
     * The accumulated gradient of a leaf, or null before any backward reached it. Treat it as read-only:
     * to save copies it may share storage with another leaf's gradient (both inputs of an add receive
     * the same array); {@code dup()} it before changing it in place (clipping, for example).
     */
    public INDArray grad() {
        return grad;
    }

    /** A compiled step hands a leaf the gradient its replay computed. */
    void setGrad(INDArray g) {
        grad = g;
    }

    public void zeroGrad() {
        grad = null;
    }

    /** Multiplies the accumulated gradient by {@code factor} into a new array (it may share storage; see {@link #grad()}). */
    public void scaleGrad(double factor) {
        if (grad != null) {
            grad = grad.mul(factor);
        }
    }

    /** The same values, cut off from the graph. */
    public Tensor detach() {
        return of(data);
    }

    public double item() {
        if (data.length() != 1) {
            throw new ShapeException("item: expected a single-element tensor, got shape " + Shapes.str(shape()));
        }
        return data.getDouble(0);
    }

    /** Backward from a scalar, seeded with 1. */
    public void backward() {
        if (data.length() != 1) {
            throw new ShapeException("backward: without a seed gradient the tensor must be a scalar, got shape "
                    + Shapes.str(shape()) + "; pass backward(seed)");
        }
        startBackward();
        // A fresh array, not a shared constant: the seed can end up as a leaf's grad (loss = leaf + c).
        run(Kernels.full(data.dataType(), 1, data.shape()));
    }

    /**
     * Reverse-mode pass: walks the tape in reverse topological order, accumulates into every leaf's
     * {@link #grad()}, then frees the graph (a second backward through it fails clearly).
     */
    public void backward(INDArray seed) {
        if (!Arrays.equals(seed.shape(), data.shape()) || seed.dataType() != data.dataType()) {
            throw new ShapeException("backward: seed " + seed.dataType() + Shapes.str(seed.shape())
                    + " does not match tensor " + data.dataType() + Shapes.str(data.shape()));
        }
        startBackward();
        // A copy: the caller keeps its array, the graph may hand the seed on to a leaf's grad.
        run(Kernels.copy(seed));
    }

    /** Tells a recording compiled step that what follows (the seed first) is the backward. */
    private static void startBackward() {
        Capture capture = Capture.active();
        if (capture != null) {
            capture.startBackward();
        }
    }

    /** {@code seed} is owned by this pass: it may become a leaf's grad as it is. */
    private void run(INDArray seed) {
        if (!requiresGrad) {
            throw new DendriteException("backward: this tensor does not require a gradient (no input of the "
                    + "computation required one, or it ran with GradMode off)");
        }
        Capture capture = Capture.active();
        if (node == null) {
            accumulate(seed);
            return;
        }
        if (node.function == null) {
            throw new DendriteException("backward: the graph behind this tensor was already freed by an earlier "
                    + "backward; recompute the forward pass");
        }
        List<Node> order = topologicalOrder(node);
        Map<Node, INDArray[]> grads = new IdentityHashMap<>();
        INDArray[] rootGrads = new INDArray[node.outputShapes.length];
        rootGrads[outputIndex] = seed;
        grads.put(node, rootGrads);
        for (int k = order.size() - 1; k >= 0; k--) {
            Node n = order.get(k);
            INDArray[] gOut = grads.remove(n);
            Function f = n.function;
            Tensor[] inputs = n.inputs;
            n.release();
            if (gOut == null) {
                continue;
            }
            for (int i = 0; i < gOut.length; i++) {
                if (gOut[i] == null) {
                    gOut[i] = Kernels.full(n.outputTypes[i], 0, n.outputShapes[i]);
                }
            }
            INDArray[] gIn;
            if (capture == null) {
                gIn = f.backward(gOut);
            } else {
                int recorded = capture.beginBackward(f, gOut);
                gIn = f.backward(gOut);
                capture.endBackward(recorded, gIn);
            }
            for (int i = 0; i < inputs.length; i++) {
                Tensor in = inputs[i];
                if (!in.requiresGrad || gIn[i] == null) {
                    continue;
                }
                checkGradShape(f, i, in, gIn[i]);
                if (in.node == null) {
                    in.accumulate(gIn[i]);
                } else {
                    INDArray[] slot = grads.computeIfAbsent(in.node, x -> new INDArray[x.outputShapes.length]);
                    int j = in.outputIndex;
                    slot[j] = slot[j] == null ? gIn[i] : Kernels.sum(slot[j], gIn[i]);
                }
            }
        }
    }

    private static void checkGradShape(Function f, int i, Tensor in, INDArray g) {
        if (!Arrays.equals(g.shape(), in.data.shape())) {
            throw new IllegalStateException(f.name() + ".backward returned gradient " + Shapes.str(g.shape())
                    + " for input " + i + " of shape " + Shapes.str(in.data.shape()));
        }
    }

    /** Never in place: a stored gradient may alias an array another branch of the graph still uses. */
    private void accumulate(INDArray g) {
        grad = grad == null ? g : Kernels.sum(grad, g);
    }

    /** Nodes reachable from {@code root}, each after every node that feeds it. */
    private static List<Node> topologicalOrder(Node root) {
        List<Node> order = new ArrayList<>();
        Set<Node> visited = Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<Object[]> stack = new ArrayDeque<>();
        stack.push(new Object[] {root, 0});
        visited.add(root);
        while (!stack.isEmpty()) {
            Object[] top = stack.peek();
            Node n = (Node) top[0];
            int next = (Integer) top[1];
            if (n.inputs == null || next >= n.inputs.length) {
                stack.pop();
                order.add(n);
                continue;
            }
            top[1] = next + 1;
            Node child = n.inputs[next].node;
            if (child != null && child.function == null) {
                throw new DendriteException("backward: part of this graph was already freed by an earlier "
                        + "backward; recompute the forward pass");
            }
            if (child != null && visited.add(child)) {
                stack.push(new Object[] {child, 0});
            }
        }
        return order;
    }

    @Override
    public String toString() {
        return "Tensor" + Shapes.str(shape()) + " " + dtype() + (requiresGrad ? " requires_grad" : "") + "\n" + data;
    }
}

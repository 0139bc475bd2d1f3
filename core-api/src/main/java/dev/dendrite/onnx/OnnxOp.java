package dev.dendrite.onnx;

import dev.dendrite.ops.Clamp;
import dev.dendrite.random.Rng;
import dev.dendrite.tensor.Tensor;
import java.util.Arrays;
import java.util.Map;
import java.util.function.LongSupplier;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One ONNX node as a converter sees it: protobuf-free, with attributes already decoded.
 *
 * @param name the node's name (or a generated one when the file has none), for messages
 * @param opset the version of the node's domain that the model imports
 * @param attributes values are {@code Long}, {@code Double}, {@code String}, {@code long[]},
 *     {@code double[]}, {@code String[]} or {@code INDArray}, as in {@link OnnxNode}
 * @param outputCount how many outputs the node declares (trailing optional ones may be absent)
 * @param training whether the model runs in training mode (Dropout, BatchNormalization)
 * @param seeds seeds for ops that draw random numbers (Dropout in training), taken from the model's random
 *     stream so that a seeded run repeats exactly
 * @param clamp an activation the importer fused into this node (see {@link OnnxConverter#fusesClamp}), which
 *     the converter applies to its output; null when none
 */
public record OnnxOp(String opType, String domain, String name, int opset, Map<String, Object> attributes,
        int outputCount, boolean training, LongSupplier seeds, Clamp clamp) {

    /**
     * The largest tensor (in elements) a model may make from its data: shapes read from a file are
     * checked against it before anything is allocated, so a hostile model fails with a message instead
     * of an OutOfMemoryError. 2^28 elements is 1 GiB of float32; raise it with
     * {@code -Ddendrite.onnx.maxElements=N}.
     */
    public static final long MAX_ELEMENTS = Long.getLong("dendrite.onnx.maxElements", 1L << 28);

    public OnnxOp {
        attributes = Map.copyOf(attributes);
    }

    public OnnxOp(String opType, String domain, String name, int opset, Map<String, Object> attributes,
            int outputCount, boolean training, LongSupplier seeds) {
        this(opType, domain, name, opset, attributes, outputCount, training, seeds, null);
    }

    /** This node with {@code clamp} fused into its output. */
    public OnnxOp withClamp(Clamp clamp) {
        return new OnnxOp(opType, domain, name, opset, attributes, outputCount, training, seeds, clamp);
    }

    /** An op whose random draws come from a fixed stream (seed 0): tests, and ops that never draw. */
    public OnnxOp(String opType, String domain, String name, int opset, Map<String, Object> attributes,
            int outputCount, boolean training) {
        this(opType, domain, name, opset, attributes, outputCount, training, new Rng(0)::nextLong);
    }

    /** Input {@code i}, which must be present. */
    public Tensor input(Tensor[] inputs, int i, String what) {
        if (i >= inputs.length || inputs[i] == null) {
            throw error("missing input " + i + " (" + what + ")");
        }
        return inputs[i];
    }

    /** Whether optional input {@code i} was given. */
    public static boolean present(Tensor[] inputs, int i) {
        return i < inputs.length && inputs[i] != null;
    }

    /** An integer input (shape, axes, pads, sizes...) as longs; it must be present and integral. */
    public long[] longs(Tensor[] inputs, int i, String what) {
        Tensor t = input(inputs, i, what);
        if (t.dtype().isFPType() || t.rank() > 1) {
            throw error("input " + i + " (" + what + ") must be an integer scalar or vector, got " + t.dtype()
                    + Arrays.toString(t.shape()));
        }
        return t.data().length() == 0 ? new long[0] : t.data().toLongVector();
    }

    /** A possibly negative axis attribute or input mapped into [0, rank), or an error naming the node. */
    public int axis(long axis, int rank, String what) {
        long a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank) {
            throw error(what + " " + axis + " is out of range for rank " + rank);
        }
        return (int) a;
    }

    /** Distinct axes mapped into [0, rank), in the given order. */
    public int[] axes(long[] axes, int rank, String what) {
        int[] out = new int[axes.length];
        boolean[] seen = new boolean[rank];
        for (int i = 0; i < axes.length; i++) {
            out[i] = axis(axes[i], rank, what);
            if (seen[out[i]]) {
                throw error(what + " " + axes[i] + " is repeated in " + Arrays.toString(axes));
            }
            seen[out[i]] = true;
        }
        return out;
    }

    /** Refuses a shape whose element count is negative or above {@link #MAX_ELEMENTS}. */
    public long[] checkShape(long[] shape, String what) {
        long n = elements(shape);
        if (n < 0) {
            throw error(what + " has a negative dimension: " + Arrays.toString(shape));
        }
        if (n > MAX_ELEMENTS) {
            throw error(what + " " + Arrays.toString(shape) + " would hold more than " + MAX_ELEMENTS
                    + " elements (raise -Ddendrite.onnx.maxElements to allow it)");
        }
        return shape;
    }

    /**
     * The element count of a shape read from a file, without overflow: -1 when a dimension is negative,
     * {@link Long#MAX_VALUE} when it exceeds {@link #MAX_ELEMENTS}. Every size check on file data uses this.
     */
    public static long elements(long[] shape) {
        long n = 1;
        for (long d : shape) {
            if (d < 0) {
                return -1;
            }
            n = d == 0 || n == 0 ? 0 : n > MAX_ELEMENTS / d ? Long.MAX_VALUE : n * d;
        }
        return n;
    }

    /** An exception naming this node; converters throw what this returns. */
    public OnnxImportException error(String message) {
        return new OnnxImportException("node '" + name + "' (" + opType + ", opset " + opset + "): " + message);
    }

    public boolean has(String attribute) {
        return attributes.containsKey(attribute);
    }

    public long attr(String attribute, long otherwise) {
        return attributes.containsKey(attribute) ? as(attribute, Long.class) : otherwise;
    }

    public double attr(String attribute, double otherwise) {
        if (!attributes.containsKey(attribute)) {
            return otherwise;
        }
        Object v = attributes.get(attribute);
        // Producers sometimes write an integral float attribute as INT: accept both.
        return v instanceof Long l ? l : as(attribute, Double.class);
    }

    public String attr(String attribute, String otherwise) {
        return attributes.containsKey(attribute) ? as(attribute, String.class) : otherwise;
    }

    public long[] attr(String attribute, long[] otherwise) {
        return attributes.containsKey(attribute) ? as(attribute, long[].class).clone() : otherwise;
    }

    public double[] attr(String attribute, double[] otherwise) {
        return attributes.containsKey(attribute) ? as(attribute, double[].class).clone() : otherwise;
    }

    public String[] attr(String attribute, String[] otherwise) {
        return attributes.containsKey(attribute) ? as(attribute, String[].class).clone() : otherwise;
    }

    /** A 0/1 attribute (is_causal, layout, ...) as a boolean; any other value is an error naming the node. */
    public boolean flag(String attribute, boolean otherwise) {
        long v = attr(attribute, otherwise ? 1L : 0L);
        if (v != 0 && v != 1) {
            throw error(attribute + " must be 0 or 1, got " + v);
        }
        return v == 1;
    }

    public INDArray tensorAttr(String attribute) {
        return as(attribute, INDArray.class);
    }

    /** A required attribute of the given type. */
    public <T> T require(String attribute, Class<T> type) {
        if (!attributes.containsKey(attribute)) {
            throw error("missing required attribute '" + attribute + "'");
        }
        return as(attribute, type);
    }

    private <T> T as(String attribute, Class<T> type) {
        Object v = attributes.get(attribute);
        if (!type.isInstance(v)) {
            throw error("attribute '" + attribute + "' must be " + type.getSimpleName() + ", got "
                    + (v == null ? "nothing" : v.getClass().getSimpleName()));
        }
        return type.cast(v);
    }
}

package dev.dendrite.cnn.onnx;

import dev.dendrite.onnx.OnnxOp;
import dev.dendrite.tensor.Shapes;
import dev.dendrite.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Reference loops, written straight from the ONNX operator definitions, for any number of spatial dims:
 * what the converters' composed and native paths are checked against.
 */
final class Naive {
    private Naive() {}

    static OnnxOp op(String type, int opset, Map<String, Object> attributes) {
        return op(type, opset, attributes, 1, false);
    }

    static OnnxOp op(String type, int opset, Map<String, Object> attributes, int outputs, boolean training) {
        return new OnnxOp(type, "", "my_" + type.toLowerCase(), opset, attributes, outputs, training);
    }

    /** Standard normal values from {@code seed}, as a constant of {@code type}. */
    static Tensor normal(DataType type, long seed, long... shape) {
        return Tensor.of(values(seed, shape).castTo(type));
    }

    /** A float64 leaf of standard normal values, for gradient checks. */
    static Tensor leaf(long seed, long... shape) {
        return Tensor.leaf(values(seed, shape));
    }

    static INDArray values(long seed, long... shape) {
        Random r = new Random(seed);
        double[] v = new double[(int) Shapes.numel(shape)];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextGaussian();
        }
        return Nd4j.create(v, shape, DataType.DOUBLE);
    }

    /** A float64 leaf of distinct values (a shuffled ramp), so max pooling has no ties. */
    static Tensor distinctLeaf(long seed, long... shape) {
        int n = (int) Shapes.numel(shape);
        List<Double> v = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            v.add((i - n / 2.0) * 0.1);
        }
        java.util.Collections.shuffle(v, new Random(seed));
        return Tensor.leaf(Nd4j.create(v.stream().mapToDouble(Double::doubleValue).toArray(), shape, DataType.DOUBLE));
    }

    /** Every multi-index of {@code dims}, row-major. */
    static List<long[]> grid(long[] dims) {
        List<long[]> out = new ArrayList<>();
        long total = Shapes.numel(dims);
        for (long f = 0; f < total; f++) {
            long[] idx = new long[dims.length];
            long rest = f;
            for (int i = dims.length - 1; i >= 0; i--) {
                idx[i] = rest % dims[i];
                rest /= dims[i];
            }
            out.add(idx);
        }
        return out;
    }

    private static long[] concat(long a, long b, long[] rest) {
        long[] r = new long[rest.length + 2];
        r[0] = a;
        r[1] = b;
        System.arraycopy(rest, 0, r, 2, rest.length);
        return r;
    }

    private static double get(INDArray a, long[] idx) {
        return a.getDouble(idx);
    }

    /** ONNX Conv: y[n, m, o] = b[m] + Σ_{c in m's group, k} x[n, c, o·s + k·d − pb]·w[m, c', k]. */
    static INDArray conv(INDArray x, INDArray w, INDArray b, long[] stride, long[] dilation, long[] padBegin,
            long[] out, long group) {
        long nb = x.size(0);
        long c = x.size(1);
        long m = w.size(0);
        long cg = c / group;
        long mg = m / group;
        int n = out.length;
        long[] kernel = Arrays.copyOfRange(w.shape(), 2, w.rank());
        long[] in = Arrays.copyOfRange(x.shape(), 2, x.rank());
        INDArray y = Nd4j.zeros(DataType.DOUBLE, concat(nb, m, out));
        for (long i = 0; i < nb; i++) {
            for (long o = 0; o < m; o++) {
                long g = o / mg;
                for (long[] pos : grid(out)) {
                    double s = b == null ? 0 : b.getDouble(o);
                    for (long cc = 0; cc < cg; cc++) {
                        for (long[] k : grid(kernel)) {
                            long[] p = new long[n];
                            boolean inside = true;
                            for (int d = 0; d < n; d++) {
                                p[d] = pos[d] * stride[d] + k[d] * dilation[d] - padBegin[d];
                                inside &= p[d] >= 0 && p[d] < in[d];
                            }
                            if (inside) {
                                s += get(x, concat(i, g * cg + cc, p)) * get(w, concat(o, cc, k));
                            }
                        }
                    }
                    y.putScalar(concat(i, o, pos), s);
                }
            }
        }
        return y;
    }

    /**
     * ONNX ConvTranspose: each x[n, c, i] adds x·w[c, m', k] at output position i·s + k·d − begin (dropped
     * outside [0, out)); then the bias.
     */
    static INDArray convTranspose(INDArray x, INDArray w, INDArray b, long[] stride, long[] dilation, long[] begin,
            long[] out, long group) {
        long nb = x.size(0);
        long c = x.size(1);
        long mg = w.size(1);
        long m = mg * group;
        long cg = c / group;
        int n = out.length;
        long[] kernel = Arrays.copyOfRange(w.shape(), 2, w.rank());
        long[] in = Arrays.copyOfRange(x.shape(), 2, x.rank());
        INDArray y = Nd4j.zeros(DataType.DOUBLE, concat(nb, m, out));
        for (long i = 0; i < nb; i++) {
            for (long cc = 0; cc < c; cc++) {
                long g = cc / cg;
                for (long[] pos : grid(in)) {
                    double v = get(x, concat(i, cc, pos));
                    for (long mm = 0; mm < mg; mm++) {
                        for (long[] k : grid(kernel)) {
                            long[] q = new long[n];
                            boolean inside = true;
                            for (int d = 0; d < n; d++) {
                                q[d] = pos[d] * stride[d] + k[d] * dilation[d] - begin[d];
                                inside &= q[d] >= 0 && q[d] < out[d];
                            }
                            if (inside) {
                                long[] at = concat(i, g * mg + mm, q);
                                y.putScalar(at, y.getDouble(at) + v * get(w, concat(cc, mm, k)));
                            }
                        }
                    }
                }
            }
        }
        if (b != null) {
            for (long[] at : grid(y.shape())) {
                y.putScalar(at, y.getDouble(at) + b.getDouble(at[1]));
            }
        }
        return y;
    }

    /**
     * ONNX MaxPool/AveragePool over the windows o·s + k·d − pb: max over the input cells (its flat index in
     * {@code indices} when given, row-major), or the sum over the input cells divided by the counted cells
     * (with count_include_pad, the cells inside [−pb, in + pe)).
     */
    static INDArray pool(INDArray x, boolean max, long[] kernel, long[] stride, long[] dilation, long[] padBegin,
            long[] padEnd, long[] out, boolean countIncludePad, INDArray indices) {
        long nb = x.size(0);
        long c = x.size(1);
        int n = out.length;
        long[] in = Arrays.copyOfRange(x.shape(), 2, x.rank());
        INDArray y = Nd4j.zeros(DataType.DOUBLE, concat(nb, c, out));
        long spatial = Shapes.numel(in);
        for (long i = 0; i < nb; i++) {
            for (long cc = 0; cc < c; cc++) {
                for (long[] pos : grid(out)) {
                    double best = Double.NEGATIVE_INFINITY;
                    long bestAt = -1;
                    double sum = 0;
                    double count = 0;
                    for (long[] k : grid(kernel)) {
                        long[] p = new long[n];
                        boolean inside = true;
                        boolean counted = true;
                        for (int d = 0; d < n; d++) {
                            p[d] = pos[d] * stride[d] + k[d] * dilation[d] - padBegin[d];
                            inside &= p[d] >= 0 && p[d] < in[d];
                            counted &= p[d] >= -padBegin[d] && p[d] < in[d] + padEnd[d];
                        }
                        if (inside) {
                            double v = get(x, concat(i, cc, p));
                            if (v > best) {
                                best = v;
                                long flat = 0;
                                for (int d = 0; d < n; d++) {
                                    flat = flat * in[d] + p[d];
                                }
                                bestAt = (i * c + cc) * spatial + flat;
                            }
                            sum += v;
                        }
                        if (countIncludePad ? counted : inside) {
                            count++;
                        }
                    }
                    y.putScalar(concat(i, cc, pos), max ? best : sum / count);
                    if (indices != null) {
                        indices.putScalar(concat(i, cc, pos), bestAt);
                    }
                }
            }
        }
        return y;
    }
}

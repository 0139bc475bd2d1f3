package dev.dendrite.onnxbridge;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.dendrite.onnxbridge.proto.ModelProto;
import dev.dendrite.tensor.DendriteException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Runs a model in ONNX Runtime (Java, CPU) on ND4J arrays: the independent implementation every export is
 * checked against. Needs a thread stack of 8 MB in a JVM that also loaded ND4J (surefire and the
 * {@code dendrite} launcher pass {@code -Xss8m}); see DESIGN.md.
 */
public final class OrtRunner implements AutoCloseable {
    private final OrtSession session;

    /** One intra-op thread: what validation and tests need. */
    public OrtRunner(ModelProto model) {
        this(model, 1);
    }

    /**
     * {@code threads} intra-op threads that sleep rather than spin when idle (a spinning pool makes a 2-core
     * machine look many times slower to whatever else runs), for benchmarks against Dendrite.
     */
    public OrtRunner(ModelProto model, int threads) {
        try {
            OrtEnvironment env = OrtEnvironment.getEnvironment();
            try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
                options.setIntraOpNumThreads(threads);
                options.addConfigEntry("session.intra_op.allow_spinning", "0");
                session = env.createSession(model.toByteArray(), options);
            }
        } catch (OrtException e) {
            throw new DendriteException("ONNX Runtime refused the model: " + e.getMessage(), e);
        }
    }

    /** Input names in the model's order. */
    public List<String> inputNames() {
        try {
            return new ArrayList<>(session.getInputInfo().keySet());
        } catch (OrtException e) {
            throw new DendriteException("ONNX Runtime: " + e.getMessage(), e);
        }
    }

    /** Runs the model with the inputs in declaration order; returns every output in declaration order. */
    public INDArray[] run(INDArray... inputs) {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        List<String> names = inputNames();
        if (names.size() != inputs.length) {
            throw new DendriteException("ONNX Runtime: the model takes " + names.size() + " inputs, got "
                    + inputs.length);
        }
        Map<String, OnnxTensor> feed = new LinkedHashMap<>();
        try {
            for (int i = 0; i < inputs.length; i++) {
                feed.put(names.get(i), tensor(env, inputs[i]));
            }
            try (OrtSession.Result r = session.run(feed)) {
                INDArray[] out = new INDArray[r.size()];
                for (int i = 0; i < out.length; i++) {
                    out[i] = array(r.get(i));
                }
                return out;
            }
        } catch (OrtException e) {
            throw new DendriteException("ONNX Runtime failed to run the model: " + e.getMessage(), e);
        } finally {
            feed.values().forEach(OnnxTensor::close);
        }
    }

    private static OnnxTensor tensor(OrtEnvironment env, INDArray a) throws OrtException {
        INDArray c = a.dup('c');
        long[] shape = c.shape();
        ByteBuffer b = TensorProtos.write("", c).getRawData().asReadOnlyByteBuffer();
        ByteBuffer direct = ByteBuffer.allocateDirect(b.remaining()).order(ByteOrder.nativeOrder());
        direct.put(b.order(ByteOrder.LITTLE_ENDIAN)).flip();
        OnnxJavaType type = switch (c.dataType()) {
            case FLOAT -> OnnxJavaType.FLOAT;
            case DOUBLE -> OnnxJavaType.DOUBLE;
            case LONG -> OnnxJavaType.INT64;
            case INT -> OnnxJavaType.INT32;
            case BOOL -> OnnxJavaType.BOOL;
            case BYTE -> OnnxJavaType.INT8;
            default -> throw new DendriteException("ONNX Runtime: cannot feed a " + c.dataType() + " input");
        };
        return OnnxTensor.createTensor(env, direct, shape, type);
    }

    private static INDArray array(OnnxValue v) throws OrtException {
        if (!(v instanceof OnnxTensor t)) {
            throw new DendriteException("ONNX Runtime returned a " + v.getType() + ", not a tensor");
        }
        TensorInfo info = t.getInfo();
        long[] shape = info.getShape();
        INDArray flat = switch (info.type) {
            case FLOAT -> Nd4j.createFromArray(toArray(t.getFloatBuffer()));
            case DOUBLE -> Nd4j.createFromArray(toArray(t.getDoubleBuffer()));
            case INT64 -> Nd4j.createFromArray(toArray(t.getLongBuffer()));
            case INT32 -> Nd4j.createFromArray(toArray(t.getIntBuffer()));
            case BOOL -> {
                ByteBuffer b = t.getByteBuffer();
                boolean[] z = new boolean[b.remaining()];
                for (int i = 0; i < z.length; i++) {
                    z[i] = b.get(i) != 0;
                }
                yield Nd4j.createFromArray(z);
            }
            default -> throw new DendriteException("ONNX Runtime returned an output of type " + info.type);
        };
        if (flat.length() == 0) {
            return Nd4j.create(flat.dataType(), shape);
        }
        return shape.length == 0 ? flat.reshape() : flat.reshape('c', shape);
    }

    private static float[] toArray(java.nio.FloatBuffer b) {
        float[] v = new float[b.remaining()];
        b.get(v);
        return v;
    }

    private static double[] toArray(java.nio.DoubleBuffer b) {
        double[] v = new double[b.remaining()];
        b.get(v);
        return v;
    }

    private static long[] toArray(java.nio.LongBuffer b) {
        long[] v = new long[b.remaining()];
        b.get(v);
        return v;
    }

    private static int[] toArray(java.nio.IntBuffer b) {
        int[] v = new int[b.remaining()];
        b.get(v);
        return v;
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new DendriteException("ONNX Runtime: " + e.getMessage(), e);
        }
    }
}

package dev.dendrite.onnxbridge;

import com.google.protobuf.ByteString;
import dev.dendrite.onnx.OnnxImportException;
import dev.dendrite.onnx.OnnxOp;
import dev.dendrite.onnx.OnnxTypes;
import dev.dendrite.onnxbridge.proto.TensorProto;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@code TensorProto} to ND4J and back. Reading checks every declared dimension and the byte count against
 * the data actually present before allocating, so a tensor that claims 10^12 elements is an
 * {@link OnnxImportException}, not an OutOfMemoryError.
 */
public final class TensorProtos {
    private TensorProtos() {}

    /** Reads a tensor whose data is inline (raw_data or a typed field). */
    public static INDArray read(TensorProto t) {
        return read(t, null);
    }

    /**
     * Reads a tensor; external data is resolved inside {@code modelDir} only (null: external data refused).
     */
    public static INDArray read(TensorProto t, Path modelDir) {
        String what = "tensor '" + t.getName() + "'";
        if (t.hasSegment()) {
            throw new OnnxImportException(what + ": segmented tensors are not supported");
        }
        DataType type;
        try {
            type = OnnxTypes.toNd4j(t.getDataType());
        } catch (IllegalArgumentException e) {
            throw new OnnxImportException(what + ": unsupported data type " + t.getDataType());
        }
        int size = elementSize(type, what);
        long[] shape = t.getDimsList().stream().mapToLong(Long::longValue).toArray();
        long n = numel(shape, what);
        ByteBuffer raw;
        if (t.getDataLocation() == TensorProto.DataLocation.EXTERNAL) {
            if (modelDir == null) {
                throw new OnnxImportException(what + ": has external data, but no model folder to read it from");
            }
            raw = ExternalData.read(t, modelDir, n * size);
        } else if (t.hasRawData()) {
            ByteString bytes = t.getRawData();
            if (bytes.size() != n * size) {
                throw new OnnxImportException(what + ": raw_data holds " + bytes.size() + " bytes, but "
                        + Arrays.toString(shape) + " of " + type + " needs " + n * size);
            }
            raw = bytes.asReadOnlyByteBuffer();
        } else {
            raw = typed(t, type, n, what);
        }
        return decode(raw.order(ByteOrder.LITTLE_ENDIAN), type, shape, (int) n);
    }

    private static long numel(long[] shape, String what) {
        long n = OnnxOp.elements(shape);
        if (n < 0) {
            throw new OnnxImportException(what + ": negative dimension in " + Arrays.toString(shape));
        }
        if (n > OnnxOp.MAX_ELEMENTS) {
            throw new OnnxImportException(what + ": shape " + Arrays.toString(shape) + " has more than "
                    + OnnxOp.MAX_ELEMENTS + " elements");
        }
        return n;
    }

    private static int elementSize(DataType type, String what) {
        return switch (type) {
            case FLOAT, INT, UINT32 -> 4;
            case DOUBLE, LONG, UINT64 -> 8;
            case BOOL, BYTE, UBYTE -> 1;
            case SHORT, UINT16, HALF, BFLOAT16 -> 2;
            default -> throw new OnnxImportException(what + ": unsupported data type " + type);
        };
    }

    /** The typed repeated fields, re-packed as little-endian bytes of the tensor's type. */
    private static ByteBuffer typed(TensorProto t, DataType type, long n, String what) {
        int count = switch (type) {
            case FLOAT -> t.getFloatDataCount();
            case DOUBLE -> t.getDoubleDataCount();
            case LONG -> t.getInt64DataCount();
            case UINT32, UINT64 -> t.getUint64DataCount();
            default -> t.getInt32DataCount();
        };
        if (count != n) {
            throw new OnnxImportException(what + ": holds " + count + " values, but its shape "
                    + t.getDimsList() + " needs " + n);
        }
        ByteBuffer b = ByteBuffer.allocate((int) n * elementSize(type, what)).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            switch (type) {
                case FLOAT -> b.putFloat(t.getFloatData(i));
                case DOUBLE -> b.putDouble(t.getDoubleData(i));
                case LONG -> b.putLong(t.getInt64Data(i));
                case UINT64 -> b.putLong(t.getUint64Data(i));
                case UINT32 -> b.putInt((int) t.getUint64Data(i));
                case INT -> b.putInt(t.getInt32Data(i));
                case BOOL, BYTE, UBYTE -> b.put((byte) t.getInt32Data(i));
                default -> b.putShort((short) t.getInt32Data(i));
            }
        }
        return b.flip();
    }

    private static INDArray decode(ByteBuffer b, DataType type, long[] shape, int n) {
        INDArray flat = switch (type) {
            case FLOAT -> {
                float[] v = new float[n];
                b.asFloatBuffer().get(v);
                yield Nd4j.createFromArray(v);
            }
            case DOUBLE -> {
                double[] v = new double[n];
                b.asDoubleBuffer().get(v);
                yield Nd4j.createFromArray(v);
            }
            case LONG -> {
                long[] v = new long[n];
                b.asLongBuffer().get(v);
                yield Nd4j.createFromArray(v);
            }
            case INT -> {
                int[] v = new int[n];
                b.asIntBuffer().get(v);
                yield Nd4j.createFromArray(v);
            }
            case BOOL -> {
                boolean[] v = new boolean[n];
                for (int i = 0; i < n; i++) {
                    v[i] = b.get(i) != 0;
                }
                yield Nd4j.createFromArray(v);
            }
            case BYTE -> {
                byte[] v = new byte[n];
                b.get(v);
                yield Nd4j.createFromArray(v);
            }
            case SHORT -> {
                short[] v = new short[n];
                b.asShortBuffer().get(v);
                yield Nd4j.createFromArray(v);
            }
            default -> throw new OnnxImportException("tensor of type " + type + " cannot be read yet");
        };
        if (n == 0) {
            return Nd4j.create(type, shape);
        }
        return shape.length == 0 ? flat.reshape() : flat.reshape('c', shape);
    }

    /** Writes {@code a} (C order, little-endian raw_data) as a TensorProto called {@code name}. */
    public static TensorProto write(String name, INDArray a) {
        DataType type = a.dataType();
        INDArray c = a.isView() || a.ordering() != 'c' ? a.dup('c') : a;
        int n = (int) c.length();
        ByteBuffer b = ByteBuffer.allocate(n * elementSize(type, "tensor '" + name + "'"))
                .order(ByteOrder.LITTLE_ENDIAN);
        if (n > 0) {
            switch (type) {
                case FLOAT -> b.asFloatBuffer().put(c.data().asFloat());
                case DOUBLE -> b.asDoubleBuffer().put(c.data().asDouble());
                case LONG -> b.asLongBuffer().put(c.data().asLong());
                case INT -> b.asIntBuffer().put(c.data().asInt());
                case BOOL -> {
                    for (int i = 0; i < n; i++) {
                        b.put(i, (byte) (c.getDouble(i) != 0 ? 1 : 0));
                    }
                }
                case BYTE -> b.put(c.data().asBytes());
                default -> throw new IllegalArgumentException("cannot write tensor '" + name + "' of type " + type);
            }
        }
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType((int) OnnxTypes.of(type))
                .setRawData(ByteString.copyFrom(b.array()));
        for (long d : c.shape()) {
            t.addDims(d);
        }
        return t.build();
    }
}

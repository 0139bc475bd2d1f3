package dev.dendrite.onnx;

import org.nd4j.linalg.api.buffer.DataType;

/** ND4J dtypes as ONNX {@code TensorProto.DataType} numbers (facts of the ONNX format). */
public final class OnnxTypes {
    private OnnxTypes() {}

    public static long of(DataType t) {
        // INT32, INT64, ... are aliases of INT, LONG, ...: switch over the enum's own constants.
        return switch (t) {
            case FLOAT -> 1;
            case UBYTE -> 2;
            case BYTE -> 3;
            case UINT16 -> 4;
            case SHORT -> 5;
            case INT -> 6;
            case LONG -> 7;
            case BOOL -> 9;
            case HALF -> 10;
            case DOUBLE -> 11;
            case UINT32 -> 12;
            case UINT64 -> 13;
            case BFLOAT16 -> 16;
            default -> throw new IllegalArgumentException("no ONNX type for ND4J dtype " + t);
        };
    }

    public static DataType toNd4j(long onnxType) {
        return switch ((int) onnxType) {
            case 1 -> DataType.FLOAT;
            case 2 -> DataType.UINT8;
            case 3 -> DataType.INT8;
            case 4 -> DataType.UINT16;
            case 5 -> DataType.INT16;
            case 6 -> DataType.INT32;
            case 7 -> DataType.INT64;
            case 9 -> DataType.BOOL;
            case 10 -> DataType.HALF;
            case 11 -> DataType.DOUBLE;
            case 12 -> DataType.UINT32;
            case 13 -> DataType.UINT64;
            case 16 -> DataType.BFLOAT16;
            default -> throw new IllegalArgumentException("unsupported ONNX tensor type " + onnxType);
        };
    }
}

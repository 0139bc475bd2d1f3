package dev.dendrite.onnxbridge;

import com.google.protobuf.ByteString;
import dev.dendrite.onnx.OnnxImportException;
import dev.dendrite.onnxbridge.proto.AttributeProto;
import dev.dendrite.onnxbridge.proto.AttributeProto.AttributeType;
import dev.dendrite.onnxbridge.proto.NodeProto;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/** {@code AttributeProto} to the neutral IR's Java values ({@link dev.dendrite.onnx.OnnxNode}) and back. */
final class Attributes {
    private Attributes() {}

    static Map<String, Object> decode(NodeProto node, String nodeName, Path modelDir) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (AttributeProto a : node.getAttributeList()) {
            String what = "node '" + nodeName + "' (" + node.getOpType() + "): attribute '" + a.getName() + "'";
            if (a.hasRefAttrName() && !a.getRefAttrName().isEmpty()) {
                throw new OnnxImportException(what + " refers to a function attribute outside a function");
            }
            Object v = switch (type(a)) {
                case FLOAT -> (double) a.getF();
                case INT -> a.getI();
                case STRING -> a.getS().toStringUtf8();
                case TENSOR -> TensorProtos.read(a.getT(), modelDir);
                case FLOATS -> a.getFloatsList().stream().mapToDouble(Float::doubleValue).toArray();
                case INTS -> a.getIntsList().stream().mapToLong(Long::longValue).toArray();
                case STRINGS -> a.getStringsList().stream().map(ByteString::toStringUtf8).toArray(String[]::new);
                default -> throw new OnnxImportException(what + " has type " + type(a) + ", which is not supported");
            };
            if (out.put(a.getName(), v) != null) {
                throw new OnnxImportException(what + " is given twice");
            }
        }
        return out;
    }

    /** The declared type; files from old writers leave it unset, so infer it from the field that is set. */
    private static AttributeType type(AttributeProto a) {
        if (a.hasType() && a.getType() != AttributeType.UNDEFINED) {
            return a.getType();
        }
        if (a.hasF()) {
            return AttributeType.FLOAT;
        }
        if (a.hasI()) {
            return AttributeType.INT;
        }
        if (a.hasS()) {
            return AttributeType.STRING;
        }
        if (a.hasT()) {
            return AttributeType.TENSOR;
        }
        if (a.getFloatsCount() > 0) {
            return AttributeType.FLOATS;
        }
        if (a.getIntsCount() > 0) {
            return AttributeType.INTS;
        }
        if (a.getStringsCount() > 0) {
            return AttributeType.STRINGS;
        }
        return AttributeType.UNDEFINED;
    }

    static AttributeProto encode(String name, Object value) {
        AttributeProto.Builder a = AttributeProto.newBuilder().setName(name);
        if (value instanceof Long l) {
            a.setType(AttributeType.INT).setI(l);
        } else if (value instanceof Double d) {
            a.setType(AttributeType.FLOAT).setF(d.floatValue());
        } else if (value instanceof String s) {
            a.setType(AttributeType.STRING).setS(ByteString.copyFromUtf8(s));
        } else if (value instanceof long[] ls) {
            a.setType(AttributeType.INTS);
            for (long l : ls) {
                a.addInts(l);
            }
        } else if (value instanceof double[] ds) {
            a.setType(AttributeType.FLOATS);
            for (double d : ds) {
                a.addFloats((float) d);
            }
        } else if (value instanceof String[] ss) {
            a.setType(AttributeType.STRINGS);
            for (String s : ss) {
                a.addStrings(ByteString.copyFromUtf8(s));
            }
        } else if (value instanceof INDArray t) {
            a.setType(AttributeType.TENSOR).setT(TensorProtos.write("", t));
        } else {
            throw new IllegalArgumentException("attribute '" + name + "': cannot encode " + value.getClass());
        }
        return a.build();
    }
}

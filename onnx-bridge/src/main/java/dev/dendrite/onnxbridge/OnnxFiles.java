package dev.dendrite.onnxbridge;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import dev.dendrite.io.AtomicFiles;
import dev.dendrite.onnx.OnnxImportException;
import dev.dendrite.onnxbridge.proto.ModelProto;
import dev.dendrite.onnxbridge.proto.TensorProto;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reading and writing {@code .onnx} and {@code .pb} files, with every failure naming the file. */
public final class OnnxFiles {
    /** Protobuf's own hard limit for one message. */
    private static final long MAX_BYTES = Integer.MAX_VALUE;
    /** Nested messages (graphs in attributes) deeper than this are refused instead of overflowing the stack. */
    private static final int MAX_NESTING = 64;

    private OnnxFiles() {}

    public static ModelProto readModel(Path file) {
        return parse(file, "ONNX model", in -> ModelProto.parseFrom(in));
    }

    public static ModelProto readModel(byte[] bytes, String what) {
        try {
            CodedInputStream in = CodedInputStream.newInstance(bytes);
            in.setRecursionLimit(MAX_NESTING);
            return ModelProto.parseFrom(in);
        } catch (InvalidProtocolBufferException e) {
            throw new OnnxImportException(what + ": not a valid ONNX model (malformed protobuf: " + e.getMessage()
                    + ")", e);
        } catch (IOException e) {
            throw new OnnxImportException(what + ": cannot read: " + e.getMessage(), e);
        }
    }

    public static TensorProto readTensor(Path file) {
        return parse(file, "TensorProto", in -> TensorProto.parseFrom(in));
    }

    public static void write(Message message, Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            AtomicFiles.write(file, message::writeTo);
        } catch (IOException e) {
            throw new OnnxImportException(file + ": cannot write: " + e.getMessage(), e);
        }
    }

    private interface Parser<T> {
        T parse(CodedInputStream in) throws IOException;
    }

    private static <T> T parse(Path file, String what, Parser<T> parser) {
        try {
            if (Files.isDirectory(file)) {
                throw new OnnxImportException(file + ": is a folder, not a " + what + " file");
            }
            long size = Files.size(file);
            if (size > MAX_BYTES) {
                throw new OnnxImportException(file + ": " + size + " bytes is over protobuf's 2 GiB limit; "
                        + "store the weights as external data");
            }
            try (InputStream stream = Files.newInputStream(file)) {
                CodedInputStream in = CodedInputStream.newInstance(stream);
                in.setSizeLimit((int) MAX_BYTES);
                in.setRecursionLimit(MAX_NESTING);
                T t = parser.parse(in);
                return t;
            }
        } catch (NoSuchFileException e) {
            throw new OnnxImportException(file + ": no such file");
        } catch (InvalidProtocolBufferException e) {
            throw new OnnxImportException(file + ": not a valid " + what + " (malformed or truncated protobuf: "
                    + e.getMessage() + ")", e);
        } catch (IOException e) {
            throw new OnnxImportException(file + ": cannot read: " + e.getMessage(), e);
        }
    }
}

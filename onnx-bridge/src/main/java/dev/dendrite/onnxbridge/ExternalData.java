package dev.dendrite.onnxbridge;

import dev.dendrite.onnx.OnnxImportException;
import dev.dendrite.onnxbridge.proto.StringStringEntryProto;
import dev.dendrite.onnxbridge.proto.TensorProto;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Tensor data stored beside the model ({@code data_location = EXTERNAL}). The location comes from the
 * file, so it is treated as hostile: it must be a relative path that stays inside the model's folder
 * after {@code ..} and symbolic links are resolved, and the byte range must lie inside that file.
 */
final class ExternalData {
    private ExternalData() {}

    static ByteBuffer read(TensorProto t, Path modelDir, long bytes) {
        String what = "tensor '" + t.getName() + "'";
        String location = null;
        long offset = 0;
        long length = -1;
        for (StringStringEntryProto e : t.getExternalDataList()) {
            switch (e.getKey()) {
                case "location" -> location = e.getValue();
                case "offset" -> offset = number(what, "offset", e.getValue());
                case "length" -> length = number(what, "length", e.getValue());
                default -> { } // "checksum" and future keys: nothing to enforce
            }
        }
        if (location == null || location.isEmpty()) {
            throw new OnnxImportException(what + ": external data without a location");
        }
        if (length >= 0 && length != bytes) {
            throw new OnnxImportException(what + ": external data length " + length + " does not match the "
                    + bytes + " bytes its shape needs");
        }
        Path file = resolve(what, location, modelDir);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (offset > size || bytes > size - offset) {
                throw new OnnxImportException(what + ": external data '" + location + "' has " + size
                        + " bytes, too few for " + bytes + " bytes at offset " + offset);
            }
            ByteBuffer b = ByteBuffer.allocate((int) bytes);
            while (b.hasRemaining()) {
                if (ch.read(b, offset + b.position()) < 0) {
                    throw new OnnxImportException(what + ": external data '" + location + "' ended early");
                }
            }
            return b.flip();
        } catch (IOException e) {
            throw new OnnxImportException(what + ": cannot read external data '" + location + "': " + e, e);
        }
    }

    private static Path resolve(String what, String location, Path modelDir) {
        String refusal = what + ": external data location '" + location + "' ";
        Path rel;
        try {
            rel = Path.of(location);
        } catch (InvalidPathException e) {
            throw new OnnxImportException(refusal + "is not a valid path");
        }
        if (rel.isAbsolute() || location.startsWith("/") || location.startsWith("\\") || location.contains(":")) {
            throw new OnnxImportException(refusal + "is absolute; it must be relative to the model's folder");
        }
        Path dir = modelDir.toAbsolutePath().normalize();
        Path file = dir.resolve(rel).normalize();
        if (!file.startsWith(dir)) {
            throw new OnnxImportException(refusal + "leaves the model's folder");
        }
        if (!Files.exists(file)) {
            throw new OnnxImportException(refusal + "does not exist");
        }
        try {
            // Symbolic links are followed only if the real file is still inside the real folder.
            if (!file.toRealPath().startsWith(dir.toRealPath())) {
                throw new OnnxImportException(refusal + "leaves the model's folder through a symbolic link");
            }
        } catch (IOException e) {
            throw new OnnxImportException(refusal + "cannot be resolved: " + e, e);
        }
        if (!Files.isRegularFile(file)) {
            throw new OnnxImportException(refusal + "is not a regular file");
        }
        return file;
    }

    private static long number(String what, String key, String value) {
        try {
            long v = Long.parseLong(value);
            if (v < 0) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new OnnxImportException(what + ": external data " + key + " '" + value + "' is not a valid size");
        }
    }
}

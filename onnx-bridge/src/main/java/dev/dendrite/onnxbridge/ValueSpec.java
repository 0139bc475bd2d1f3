package dev.dendrite.onnxbridge;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * A graph input or output as declared in the file.
 *
 * @param type null when the file declares no (supported) element type
 * @param dims one entry per axis, -1 for a symbolic or unknown size; null when no shape is declared
 * @param dimNames the symbolic names ({@code "batch"}), null where the size is fixed or unnamed
 */
public record ValueSpec(String name, DataType type, long[] dims, String[] dimNames) {
    @Override
    public String toString() {
        return name + ":" + (type == null ? "?" : type.name().toLowerCase()) + (dims == null ? "[?]"
                : Arrays.toString(dims).replace("-1", "?"));
    }
}

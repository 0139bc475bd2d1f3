package dev.dendrite.cnn.layers;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * A convolution's padding as PyTorch takes it: {@code "same"} (output as large as the input, stride 1; an odd
 * total goes to the end), {@code "valid"} (none), one int for every side, or {@code [height, width]}.
 */
public record Padding(boolean same, long h, long w) {
    public static final Padding SAME = new Padding(true, 0, 0);
    public static final Padding VALID = new Padding(false, 0, 0);

    public static Padding of(long both) {
        return new Padding(false, both, both);
    }

    public static Padding of(long h, long w) {
        return new Padding(false, h, w);
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static Padding fromJson(JsonNode node) {
        if (node.isTextual() && node.asText().equals("same")) {
            return SAME;
        }
        if (node.isTextual() && node.asText().equals("valid")) {
            return VALID;
        }
        if (node.isIntegralNumber()) {
            return of(node.asLong());
        }
        if (node.isArray() && node.size() == 2 && node.get(0).isIntegralNumber() && node.get(1).isIntegralNumber()) {
            return of(node.get(0).asLong(), node.get(1).asLong());
        }
        throw new IllegalArgumentException("expected \"same\", \"valid\", an int or [height, width], got " + node);
    }

    @JsonValue
    public Object toJson() {
        if (same) {
            return "same";
        }
        return h == w ? (Object) h : new long[] {h, w};
    }

    @Override
    public String toString() {
        return same ? "same" : h == w ? Long.toString(h) : "[" + h + ", " + w + "]";
    }
}

package dev.dendrite.cnn.layers;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * A {height, width} pair in a layer config (kernel size, stride, dilation, ...). In JSON, as in PyTorch, one
 * int means both ({@code 3}) and a pair gives each ({@code [3, 5]}).
 */
public record Size2d(long h, long w) {
    public static Size2d of(long both) {
        return new Size2d(both, both);
    }

    public static Size2d of(long h, long w) {
        return new Size2d(h, w);
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static Size2d fromJson(JsonNode node) {
        if (node.isIntegralNumber()) {
            return of(node.asLong());
        }
        if (node.isArray() && node.size() == 2 && node.get(0).isIntegralNumber() && node.get(1).isIntegralNumber()) {
            return of(node.get(0).asLong(), node.get(1).asLong());
        }
        throw new IllegalArgumentException("expected an int or [height, width], got " + node);
    }

    @JsonValue
    public Object toJson() {
        return h == w ? (Object) h : new long[] {h, w};
    }

    public long[] toArray() {
        return new long[] {h, w};
    }

    boolean atLeast(long min) {
        return h >= min && w >= min;
    }

    @Override
    public String toString() {
        return h == w ? Long.toString(h) : "[" + h + ", " + w + "]";
    }
}

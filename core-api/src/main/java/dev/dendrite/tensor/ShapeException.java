package dev.dendrite.tensor;

/**
 * A wrong shape, rank or dtype, caught in Java before any native kernel sees it. The message names the
 * op (and, once it passes through a layer, the layer's path), the expected and the actual shape.
 */
public final class ShapeException extends DendriteException {
    public ShapeException(String message) {
        super(message);
    }

    /** The same error seen from the layer at {@code path}: its name goes in front, once. */
    public ShapeException inLayer(String path, String kind) {
        String prefix = "layer '" + path + "' (" + kind + "): ";
        if (getMessage().startsWith("layer '")) {
            return this;
        }
        ShapeException e = new ShapeException(prefix + getMessage());
        e.setStackTrace(getStackTrace());
        return e;
    }
}

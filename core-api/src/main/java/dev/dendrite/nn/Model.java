package dev.dendrite.nn;

/** A layer tree together with the spec it was built from: what a checkpoint needs to rebuild it. */
public record Model(LayerSpec spec, Layer layer) {
    public static Model build(LayerSpec spec, LayerContext context) {
        return new Model(spec, context.build(spec));
    }
}

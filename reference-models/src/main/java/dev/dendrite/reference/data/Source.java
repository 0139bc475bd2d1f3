package dev.dendrite.reference.data;

/**
 * Where a data set was loaded from. Results are only comparable when the data is, so every report prints
 * this: a number measured on the embedded subset must never pass for one on the full set.
 *
 * @param kind which of the places it was
 * @param location the directory, or for {@link Kind#EMBEDDED} a phrase saying it came with the jar
 */
public record Source(Kind kind, String location) {
    /** The places a data set is looked for, in the order they are tried. */
    public enum Kind {
        /** A directory the caller named ({@code --data DIR}). */
        DIRECTORY,
        /** The machine-wide copy a Debian package installed (e.g. {@code dataset-fashion-mnist}). */
        SYSTEM,
        /** The small fixed subset bundled in the dendrite-reference-models jar. */
        EMBEDDED
    }
}

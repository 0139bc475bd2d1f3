package dev.dendrite.spi;

/**
 * Something a plugin contributes, found with {@link java.util.ServiceLoader} and looked up by its id.
 *
 * @param <C> its configuration: a record that serialises to JSON
 */
public interface Provider<C extends Record> {
    /** Stable id used in model specs and checkpoints, e.g. {@code "dense"}: never rename it. */
    String id();

    Class<C> configType();

    /** The configuration used for fields a spec leaves out. */
    C defaultConfig();
}

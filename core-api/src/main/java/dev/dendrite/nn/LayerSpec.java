package dev.dendrite.nn;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * A layer as data: provider id, optional name (its key among its parent's children) and config. A model
 * spec is a tree of these; checkpoints store it so a model can be rebuilt without its Java code.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LayerSpec(String type, String name, JsonNode config) {
    public static LayerSpec of(String type, Record config) {
        return new LayerSpec(type, null, dev.dendrite.spi.Json.toTree(config));
    }

    public LayerSpec named(String newName) {
        return new LayerSpec(type, newName, config);
    }
}

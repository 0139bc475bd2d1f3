package dev.dendrite.nn;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import dev.dendrite.spi.Json;

/** A loss, optimizer or schedule as data: provider id and config (defaults fill what is left out). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ComponentSpec(String type, JsonNode config) {
    public static ComponentSpec of(String type, Record config) {
        return new ComponentSpec(type, Json.toTree(config));
    }
}

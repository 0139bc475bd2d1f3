package dev.dendrite.spi;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dendrite.tensor.DendriteException;

/** JSON for configs and specs: strict (an unknown or mistyped field is an error that names it). */
public final class Json {
    public static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(SerializationFeature.INDENT_OUTPUT)
            // Parameterless layers (relu, tanh, ...) have empty config records: {} is their JSON.
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

    private Json() {}

    /** The provider's default config with the fields of {@code overrides} laid over it. */
    public static <C extends Record> C config(Provider<C> provider, JsonNode overrides) {
        ObjectNode merged = MAPPER.valueToTree(provider.defaultConfig());
        if (overrides != null && !overrides.isNull()) {
            if (!overrides.isObject()) {
                throw new DendriteException("config of '" + provider.id() + "' must be a JSON object, got " + overrides);
            }
            merged.setAll((ObjectNode) overrides);
        }
        try {
            return MAPPER.treeToValue(merged, provider.configType());
        } catch (Exception e) {
            throw new DendriteException("invalid config for '" + provider.id() + "': " + firstLine(e.getMessage()), e);
        }
    }

    public static JsonNode toTree(Object value) {
        return MAPPER.valueToTree(value);
    }

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (Exception e) {
            throw new DendriteException("cannot write JSON: " + e.getMessage(), e);
        }
    }

    public static <T> T read(String json, Class<T> type) {
        try {
            return MAPPER.readValue(json, type);
        } catch (Exception e) {
            // A record's own validation (a missing field, a value out of range) is already the message to show.
            if (e.getCause() instanceof DendriteException d) {
                throw new DendriteException(d.getMessage(), e);
            }
            throw new DendriteException("invalid JSON for " + type.getSimpleName() + ": " + firstLine(e.getMessage()),
                    e);
        }
    }

    private static String firstLine(String s) {
        return s == null ? "" : s.lines().findFirst().orElse("");
    }
}

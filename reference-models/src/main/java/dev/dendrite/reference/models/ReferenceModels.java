package dev.dendrite.reference.models;

import dev.dendrite.tensor.DendriteException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The reproductions {@code dendrite reproduce} knows, by name. */
public final class ReferenceModels {
    private static final List<ReferenceModel> ALL = List.of(new LeNet5(), new Mlp());

    private ReferenceModels() {}

    public static ReferenceModel get(String name) {
        Map<String, ReferenceModel> byName = new LinkedHashMap<>();
        ALL.forEach(m -> byName.put(m.name(), m));
        ReferenceModel m = byName.get(name);
        if (m == null) {
            throw new DendriteException("unknown model '" + name + "'; known models: " + String.join(", ",
                    byName.keySet()));
        }
        return m;
    }

    public static List<ReferenceModel> all() {
        return ALL;
    }
}

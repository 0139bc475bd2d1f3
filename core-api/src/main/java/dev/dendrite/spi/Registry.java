package dev.dendrite.spi;

import dev.dendrite.tensor.DendriteException;
import java.net.URL;
import java.security.CodeSource;
import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * All providers of one kind that {@link ServiceLoader} finds on a class loader, by id. Built once by
 * the Guice module; a plugin is a jar with a {@code META-INF/services} line, nothing more.
 */
public final class Registry<P extends Provider<?>> {
    private final String kind;
    private final Map<String, P> byId;

    private Registry(String kind, Map<String, P> byId) {
        this.kind = kind;
        this.byId = Collections.unmodifiableMap(byId);
    }

    public static <P extends Provider<?>> Registry<P> load(String kind, Class<P> type, ClassLoader loader) {
        Map<String, P> found = new TreeMap<>();
        try {
            for (P p : ServiceLoader.load(type, loader)) {
                P previous = found.putIfAbsent(p.id(), p);
                if (previous != null) {
                    throw new DendriteException(kind + " id '" + p.id() + "' is provided twice: by "
                            + previous.getClass().getName() + " (" + source(previous) + ") and by "
                            + p.getClass().getName() + " (" + source(p) + ")");
                }
            }
        } catch (ServiceConfigurationError e) {
            throw new DendriteException("cannot load a " + kind + " provider: " + e.getMessage(), e);
        }
        return new Registry<>(kind, found);
    }

    public static <P extends Provider<?>> Registry<P> of(String kind, Collection<P> providers) {
        Map<String, P> m = new TreeMap<>();
        for (P p : providers) {
            if (m.putIfAbsent(p.id(), p) != null) {
                throw new DendriteException(kind + " id '" + p.id() + "' is provided twice");
            }
        }
        return new Registry<>(kind, m);
    }

    /** The provider with this id, or an error listing every known id. */
    public P get(String id) {
        P p = byId.get(id);
        if (p == null) {
            throw new DendriteException("unknown " + kind + " '" + id + "'; known " + kind + " ids: "
                    + String.join(", ", byId.keySet()));
        }
        return p;
    }

    public boolean contains(String id) {
        return byId.containsKey(id);
    }

    public Collection<P> all() {
        return byId.values();
    }

    public String kind() {
        return kind;
    }

    /** Where a provider's class was loaded from (its jar or class folder). */
    public static String source(Object provider) {
        CodeSource cs = provider.getClass().getProtectionDomain().getCodeSource();
        URL url = cs == null ? null : cs.getLocation();
        return url == null ? "unknown" : url.getPath();
    }
}

package dev.dendrite.onnxbridge;

import dev.dendrite.onnx.OnnxConverter;
import dev.dendrite.onnx.OnnxOp;
import dev.dendrite.spi.PluginJars;
import dev.dendrite.tensor.DendriteException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * Every {@link OnnxConverter} on a class loader, by domain and op type. For a node, the highest-priority converter
 * that accepts it runs; two converters of one op may not share a priority.
 */
public final class Converters {
    /** Per op, its converters by descending priority. */
    private final Map<String, List<OnnxConverter>> byOp;

    private Converters(Map<String, List<OnnxConverter>> byOp) {
        this.byOp = Collections.unmodifiableMap(byOp);
    }

    public static Converters discover(ClassLoader loader) {
        try {
            return of(ServiceLoader.load(OnnxConverter.class, loader));
        } catch (ServiceConfigurationError e) {
            throw new DendriteException("cannot load an ONNX converter: " + e.getMessage(), e);
        }
    }

    /** These converters, by op; two of one op may not share a priority. */
    public static Converters of(Iterable<OnnxConverter> converters) {
        Map<String, List<OnnxConverter>> m = new TreeMap<>();
        for (OnnxConverter c : converters) {
            for (String op : c.opTypes()) {
                String key = key(c.domain(), op);
                List<OnnxConverter> list = m.computeIfAbsent(key, k -> new ArrayList<>());
                for (OnnxConverter old : list) {
                    if (old.priority() == c.priority()) {
                        throw new DendriteException("ONNX op " + key + " has two converters of priority "
                                + c.priority() + ": " + old.getClass().getName() + " and " + c.getClass().getName());
                    }
                }
                list.add(c);
                list.sort(Comparator.comparingInt(OnnxConverter::priority).reversed());
            }
        }
        return new Converters(m);
    }

    /** The converters on {@link PluginJars#defaultLoader()}: built-ins plus any dropped plugin jars. */
    public static Converters discover() {
        return discover(PluginJars.defaultLoader());
    }

    /** The converter for an op, or null. {@code ai.onnx} and the empty domain are the same domain. */
    public OnnxConverter find(String domain, String opType) {
        List<OnnxConverter> list = byOp.get(key(domain, opType));
        return list == null ? null : list.get(0);
    }

    /**
     * The highest-priority converter of the op that {@link OnnxConverter#accepts accepts} this node, or null
     * when none does (or the op has none).
     */
    public OnnxConverter find(OnnxOp op, boolean[] inputPresent) {
        List<OnnxConverter> list = byOp.get(key(op.domain(), op.opType()));
        if (list != null) {
            for (OnnxConverter c : list) {
                if (c.accepts(op, inputPresent)) {
                    return c;
                }
            }
        }
        return null;
    }

    /** Supported ops as {@code domain::OpType} (the default domain written as {@code ai.onnx}). */
    public java.util.Set<String> supported() {
        return byOp.keySet();
    }

    static String canonicalDomain(String domain) {
        return domain == null || domain.isEmpty() ? "ai.onnx" : domain;
    }

    private static String key(String domain, String opType) {
        return canonicalDomain(domain) + "::" + opType;
    }
}

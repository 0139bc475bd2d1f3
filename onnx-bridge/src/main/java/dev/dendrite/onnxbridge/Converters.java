package dev.dendrite.onnxbridge;

import dev.dendrite.onnx.OnnxConverter;
import dev.dendrite.spi.PluginJars;
import dev.dendrite.tensor.DendriteException;
import java.util.Collections;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeMap;

/** Every {@link OnnxConverter} on a class loader, by domain and op type; the highest priority wins a tie. */
public final class Converters {
    private final Map<String, OnnxConverter> byOp;

    private Converters(Map<String, OnnxConverter> byOp) {
        this.byOp = Collections.unmodifiableMap(byOp);
    }

    public static Converters discover(ClassLoader loader) {
        Map<String, OnnxConverter> m = new TreeMap<>();
        try {
            for (OnnxConverter c : ServiceLoader.load(OnnxConverter.class, loader)) {
                for (String op : c.opTypes()) {
                    String key = key(c.domain(), op);
                    OnnxConverter old = m.get(key);
                    if (old != null && old.priority() == c.priority()) {
                        throw new DendriteException("ONNX op " + key + " has two converters of priority "
                                + c.priority() + ": " + old.getClass().getName() + " and " + c.getClass().getName());
                    }
                    if (old == null || c.priority() > old.priority()) {
                        m.put(key, c);
                    }
                }
            }
        } catch (ServiceConfigurationError e) {
            throw new DendriteException("cannot load an ONNX converter: " + e.getMessage(), e);
        }
        return new Converters(m);
    }

    /** The converters on {@link PluginJars#defaultLoader()}: built-ins plus any dropped plugin jars. */
    public static Converters discover() {
        return discover(PluginJars.defaultLoader());
    }

    /** The converter for an op, or null. {@code ai.onnx} and the empty domain are the same domain. */
    public OnnxConverter find(String domain, String opType) {
        return byOp.get(key(domain, opType));
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

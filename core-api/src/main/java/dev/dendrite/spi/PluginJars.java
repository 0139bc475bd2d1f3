package dev.dendrite.spi;

import dev.dendrite.loss.LossProvider;
import dev.dendrite.nn.LayerProvider;
import dev.dendrite.onnx.OnnxConverter;
import dev.dendrite.optim.LrScheduleProvider;
import dev.dendrite.train.TrainerStrategyProvider;
import dev.dendrite.optim.OptimizerProvider;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * Plugins from outside the build: jars dropped into folders, each discovered with {@link ServiceLoader}
 * exactly like the built-in plugins. Every jar is first tried on its own class loader: a jar that does
 * not open, a services entry that names a missing class, a provider whose constructor throws, or an id
 * another plugin already provides is a one-line {@link Problem} naming the jar and the class, and only that
 * jar is left out. The jars that pass share one class loader, a child of {@code parent}.
 *
 * <p>Discovery elsewhere (Guice's {@code DendriteModule}, the ONNX importer) looks on
 * {@link #defaultLoader()}, the thread's context class loader: the command line sets it to
 * {@link Result#loader()} while a command runs.
 */
public final class PluginJars {
    /** The SPIs a dropped jar may provide. */
    private static final List<Class<?>> SPIS = List.of(LayerProvider.class, LossProvider.class,
            OptimizerProvider.class, LrScheduleProvider.class, TrainerStrategyProvider.class, OnnxConverter.class);

    /** Something wrong with one jar; the jar was not loaded. */
    public record Problem(Path jar, String message) {
        @Override
        public String toString() {
            return jar + ": " + message;
        }
    }

    /**
     * @param loader sees the built-in plugins and every loaded jar
     * @param jars the jars loaded, in load order
     */
    public record Result(ClassLoader loader, List<Path> jars, List<Problem> problems) {}

    private static final String LOADER_NAME = "dendrite-plugins";

    private PluginJars() {}

    /** Whether {@code provider} came from a dropped jar rather than the build. */
    public static boolean isDropped(Object provider) {
        return provider.getClass().getClassLoader() instanceof URLClassLoader u && LOADER_NAME.equals(u.getName());
    }

    /** Where providers are looked up by default: the context class loader, else core-api's own. */
    public static ClassLoader defaultLoader() {
        ClassLoader l = Thread.currentThread().getContextClassLoader();
        return l != null ? l : PluginJars.class.getClassLoader();
    }

    /** Loads every {@code *.jar} in the given folders (and jar files named directly), sorted by name. */
    public static Result load(List<Path> folders, ClassLoader parent) {
        List<Problem> problems = new ArrayList<>();
        List<Path> candidates = new ArrayList<>();
        for (Path f : folders) {
            if (Files.isRegularFile(f)) {
                candidates.add(f);
            } else if (Files.isDirectory(f)) {
                try (Stream<Path> s = Files.list(f)) {
                    s.filter(p -> p.getFileName().toString().endsWith(".jar")).sorted().forEach(candidates::add);
                } catch (IOException e) {
                    problems.add(new Problem(f, "cannot list the plugin folder: " + e.getMessage()));
                }
            } else {
                problems.add(new Problem(f, "no such plugin folder or jar"));
            }
        }
        Map<String, String> taken = builtInKeys(parent);
        List<Path> accepted = new ArrayList<>();
        for (Path jar : candidates) {
            Map<String, String> keys = new LinkedHashMap<>();
            String problem = check(jar, parent, taken, keys);
            if (problem != null) {
                problems.add(new Problem(jar, problem));
            } else {
                accepted.add(jar);
                taken.putAll(keys);
            }
        }
        URL[] urls = accepted.stream().map(PluginJars::url).toArray(URL[]::new);
        ClassLoader loader = urls.length == 0 ? parent : new URLClassLoader(LOADER_NAME, urls, parent);
        return new Result(loader, List.copyOf(accepted), List.copyOf(problems));
    }

    /** Null when {@code jar} loads cleanly; otherwise why not. Fills {@code keys} with what it provides. */
    private static String check(Path jar, ClassLoader parent, Map<String, String> taken, Map<String, String> keys) {
        try (JarFile ignored = new JarFile(jar.toFile())) {
            // opens: a readable zip
        } catch (IOException e) {
            return "not a readable jar (" + e.getMessage() + ")";
        }
        try (URLClassLoader own = new URLClassLoader(new URL[] {url(jar)}, parent)) {
            for (Class<?> spi : SPIS) {
                Iterator<?> it = ServiceLoader.load(spi, own).iterator();
                while (true) {
                    Object p;
                    try {
                        if (!it.hasNext()) {
                            break;
                        }
                        p = it.next();
                    } catch (ServiceConfigurationError | LinkageError e) {
                        return "cannot load a " + spi.getSimpleName() + ": " + rootMessage(e);
                    }
                    if (p.getClass().getClassLoader() != own) {
                        continue; // a built-in provider seen through the parent
                    }
                    for (String key : keys(p)) {
                        String owner = taken.get(key);
                        if (owner == null) {
                            owner = keys.get(key);
                        }
                        if (owner != null) {
                            return p.getClass().getName() + " provides " + key + ", which " + owner
                                    + " already provides";
                        }
                        keys.put(key, p.getClass().getName() + " (" + jar.getFileName() + ")");
                    }
                }
            }
        } catch (IOException e) {
            return "cannot close its class loader: " + e.getMessage();
        }
        return null;
    }

    private static Map<String, String> builtInKeys(ClassLoader parent) {
        Map<String, String> m = new HashMap<>();
        for (Class<?> spi : SPIS) {
            for (Object p : ServiceLoader.load(spi, parent)) {
                for (String key : keys(p)) {
                    m.putIfAbsent(key, p.getClass().getName() + " (built in)");
                }
            }
        }
        return m;
    }

    /** What a provider claims: a kind-qualified id, or an ONNX op at a priority. */
    private static List<String> keys(Object p) {
        if (p instanceof OnnxConverter c) {
            return c.opTypes().stream().map(op -> "ONNX op " + (c.domain().isEmpty() ? "ai.onnx" : c.domain()) + "::"
                    + op + " at priority " + c.priority()).toList();
        }
        String kind = p instanceof LayerProvider<?> ? "layer" : p instanceof LossProvider<?> ? "loss"
                : p instanceof OptimizerProvider<?> ? "optimizer" : p instanceof LrScheduleProvider<?> ? "lr schedule"
                : "trainer";
        return List.of(kind + " id '" + ((Provider<?>) p).id() + "'");
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        StringBuilder m = new StringBuilder(String.valueOf(e.getMessage()));
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
            m.append(": ").append(t.getClass().getSimpleName()).append(t.getMessage() == null ? ""
                    : " " + t.getMessage());
        }
        return m.toString().replace('\n', ' ');
    }

    private static URL url(Path jar) {
        try {
            return jar.toUri().toURL();
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException(jar + ": " + e.getMessage(), e);
        }
    }
}

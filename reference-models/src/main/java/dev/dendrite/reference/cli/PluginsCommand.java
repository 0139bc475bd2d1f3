package dev.dendrite.reference.cli;

import dev.dendrite.gan.GanRuns;
import dev.dendrite.inject.Registries;
import dev.dendrite.onnx.OnnxConverter;
import dev.dendrite.spi.PluginJars;
import dev.dendrite.spi.Provider;
import dev.dendrite.spi.Registry;
import java.io.PrintWriter;
import java.util.ServiceLoader;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code dendrite plugins}: every discovered provider by kind, with its id and the jar it came from. */
@Command(name = "plugins", mixinStandardHelpOptions = true,
        description = "List every layer, loss, optimizer, LR schedule, trainer, GAN loss and ONNX converter provider, built in or dropped "
                + "(--plugins), with the jar it came from.")
final class PluginsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        ClassLoader loader = PluginJars.defaultLoader();
        Registries r = Registries.discover(loader);
        PrintWriter out = spec.commandLine().getOut();
        out.printf("%-14s %-22s %s%n", "KIND", "ID", "JAR");
        print(out, r.layers());
        print(out, r.losses());
        print(out, r.optimizers());
        print(out, r.schedules());
        print(out, r.trainers());
        print(out, GanRuns.losses(loader));
        for (OnnxConverter c : ServiceLoader.load(OnnxConverter.class, loader)) {
            out.printf("%-14s %-22s %s%n", "onnx_converter", String.join(",", new TreeSet<>(c.opTypes())), jar(c));
        }
        return 0;
    }

    private static void print(PrintWriter out, Registry<? extends Provider<?>> registry) {
        for (Provider<?> p : registry.all()) {
            out.printf("%-14s %-22s %s%n", registry.kind().replace(' ', '_'), p.id(), jar(p));
        }
    }

    /** A dropped plugin by its path; a built-in one by its jar's file name (or class folder in a dev build). */
    private static String jar(Object provider) {
        String path = Registry.source(provider);
        if (PluginJars.isDropped(provider)) {
            return path;
        }
        int slash = path.replaceAll("/$", "").lastIndexOf('/');
        String name = path.substring(slash + 1);
        return "built-in " + (name.isEmpty() || name.equals("classes/") ? path : name);
    }
}

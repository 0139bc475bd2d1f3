package dev.dendrite.reference.cli;

import dev.dendrite.inject.Registries;
import dev.dendrite.spi.Provider;
import dev.dendrite.spi.Registry;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code dendrite plugins}: every discovered provider by kind, with its id and the jar it came from. */
@Command(name = "plugins", mixinStandardHelpOptions = true,
        description = "List every layer, loss, optimizer and LR schedule provider found on the classpath.")
final class PluginsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Registries r = Registries.discover(Thread.currentThread().getContextClassLoader());
        PrintWriter out = spec.commandLine().getOut();
        out.printf("%-12s %-22s %s%n", "KIND", "ID", "JAR");
        print(out, r.layers());
        print(out, r.losses());
        print(out, r.optimizers());
        print(out, r.schedules());
        return 0;
    }

    private static void print(PrintWriter out, Registry<? extends Provider<?>> registry) {
        for (Provider<?> p : registry.all()) {
            out.printf("%-12s %-22s %s%n", registry.kind().replace(' ', '_'), p.id(), jar(Registry.source(p)));
        }
    }

    private static String jar(String path) {
        int slash = path.replaceAll("/$", "").lastIndexOf('/');
        String name = path.substring(slash + 1);
        return name.isEmpty() || name.equals("classes/") ? path : name;
    }
}

package dev.dendrite.reference.cli;

import dev.dendrite.spi.PluginJars;
import dev.dendrite.tensor.DendriteException;
import java.io.File;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code dendrite}: the command line. Errors are one line on stderr and exit 1; {@code --verbose} adds the trace. */
@Command(name = "dendrite", mixinStandardHelpOptions = true, version = "Dendrite 0.1.0",
        description = "Train, reproduce and inspect neural networks.",
        subcommands = {PluginsCommand.class, ReproduceCommand.class, TrainCommand.class, ExportCommand.class,
            ValidateCommand.class, OnnxTestCommand.class, OnnxRunCommand.class, OnnxGradCommand.class,
            CommandLine.HelpCommand.class})
public final class Main {
    /** A path list of plugin folders (or jars), read in addition to {@code --plugins}. */
    public static final String PLUGINS_ENV = "DENDRITE_PLUGINS";

    @Option(names = "--verbose", description = "Print stack traces with errors.", scope = CommandLine.ScopeType.INHERIT)
    boolean verbose;

    @Option(names = "--plugins", paramLabel = "DIR", scope = CommandLine.ScopeType.INHERIT,
            description = "Load every plugin jar in DIR (repeatable; also the " + PLUGINS_ENV + " path list).")
    List<Path> plugins = new ArrayList<>();

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the command line; returns the exit code (for tests). */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        return run(args, out, err, System.getenv(PLUGINS_ENV));
    }

    /** As {@link #run(String[], PrintWriter, PrintWriter)}, with the plugin path list given explicitly. */
    static int run(String[] args, PrintWriter out, PrintWriter err, String pluginsEnv) {
        Main main = new Main();
        CommandLine cl = new CommandLine(main);
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler((e, line, parsed) -> {
            boolean expected = e instanceof DendriteException || e instanceof java.io.UncheckedIOException;
            line.getErr().println("dendrite: error: " + (expected ? e.getMessage() : e));
            if (main.verbose || !expected) {
                e.printStackTrace(line.getErr());
            }
            return 1;
        });
        // Plugins load after parsing (the folders are options) and before the command runs, on the context
        // class loader that every discovery looks at; a bad jar is one line and the others still load.
        cl.setExecutionStrategy(parsed -> {
            List<Path> folders = new ArrayList<>(main.plugins);
            if (pluginsEnv != null && !pluginsEnv.isBlank()) {
                for (String p : pluginsEnv.split(File.pathSeparator)) {
                    if (!p.isBlank()) {
                        folders.add(Path.of(p));
                    }
                }
            }
            if (folders.isEmpty()) {
                return new CommandLine.RunLast().execute(parsed);
            }
            Thread thread = Thread.currentThread();
            ClassLoader previous = thread.getContextClassLoader();
            PluginJars.Result loaded = PluginJars.load(folders, previous != null ? previous
                    : Main.class.getClassLoader());
            loaded.problems().forEach(p -> err.println("dendrite: plugin error: " + p));
            err.flush();
            thread.setContextClassLoader(loaded.loader());
            try {
                return new CommandLine.RunLast().execute(parsed);
            } finally {
                thread.setContextClassLoader(previous);
            }
        });
        return cl.execute(args);
    }
}

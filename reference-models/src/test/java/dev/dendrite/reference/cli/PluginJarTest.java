package dev.dendrite.reference.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dendrite.inject.Registries;
import dev.dendrite.nn.LayerProvider;
import dev.dendrite.spi.PluginJars;
import dev.dendrite.testkit.LayerConformance;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The drop-in story end to end, as a researcher does it: the template plugin (plugins/template) built into a
 * jar on its own, dropped into a folder next to broken ones, then listed, trained, exported and validated
 * through the command line, with no rebuild of Dendrite.
 */
class PluginJarTest {
    static final Path TEMPLATE = Path.of("../plugins/template");

    @TempDir
    static Path dir;

    static Path plugins;
    static Path swishJar;

    @BeforeAll
    static void buildJars() throws IOException {
        plugins = Files.createDirectories(dir.resolve("plugins"));
        swishJar = plugins.resolve("dendrite-swish-plugin-1.0.0.jar");
        jar(compile(sources(TEMPLATE.resolve("src/main/java")), dir.resolve("swish-classes")),
                TEMPLATE.resolve("src/main/resources"), swishJar);

        Files.write(plugins.resolve("broken.jar"), "not a zip".getBytes());
        Path collide = dir.resolve("collide-src");
        write(collide, "org/example/bad/FakeDense.java", """
                package org.example.bad;
                public final class FakeDense extends dev.dendrite.spi.BaseProvider<FakeDense.Config>
                        implements dev.dendrite.nn.LayerProvider<FakeDense.Config> {
                    public record Config(int in) {}
                    public FakeDense() { super("dense", Config.class, new Config(1)); }
                    @Override public dev.dendrite.nn.Layer create(Config c, dev.dendrite.nn.LayerContext ctx) {
                        throw new UnsupportedOperationException();
                    }
                }""");
        write(collide, "META-INF/services/dev.dendrite.nn.LayerProvider", "org.example.bad.FakeDense\n");
        jar(compile(sources(collide), dir.resolve("collide-classes")), collide, plugins.resolve("collides.jar"));
        Path throwing = dir.resolve("throw-src");
        write(throwing, "org/example/bad/Boom.java", """
                package org.example.bad;
                public final class Boom extends dev.dendrite.spi.BaseProvider<Boom.Config>
                        implements dev.dendrite.loss.LossProvider<Boom.Config> {
                    public record Config() {}
                    public Boom() {
                        super("boom", Config.class, new Config());
                        throw new IllegalStateException("boom: no licence file");
                    }
                    @Override public dev.dendrite.loss.Loss create(Config c) { return null; }
                }""");
        write(throwing, "META-INF/services/dev.dendrite.loss.LossProvider", "org.example.bad.Boom\n");
        jar(compile(sources(throwing), dir.resolve("throw-classes")), throwing, plugins.resolve("throws.jar"));
    }

    /** The template is built by Maven only on a user's machine: at least keep its POM well-formed XML here. */
    @Test
    void theTemplatePomIsWellFormed() throws Exception {
        var doc = javax.xml.parsers.DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(TEMPLATE.resolve("pom.xml").toFile());
        assertEquals("project", doc.getDocumentElement().getTagName());
        assertTrue(doc.getElementsByTagName("artifactId").item(0).getTextContent().equals("dendrite-swish-plugin"));
    }

    @Test
    void listsTheDroppedLayerWithItsJarAndNamesEveryBadJar() {
        Cli r = Cli.run("--plugins", plugins.toString(), "plugins");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().lines().anyMatch(l -> l.matches("layer\\s+swish\\s+" + swishJar.toAbsolutePath()
                .toString().replace(".", "\\.") + "|layer\\s+swish\\s+.*dendrite-swish-plugin-1\\.0\\.0\\.jar")),
                r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.matches("layer\\s+dense\\s+built-in .*")), r.out());
        List<String> errors = r.err().lines().toList();
        assertEquals(3, errors.size(), r.err());
        assertTrue(errors.get(0).matches("dendrite: plugin error: .*broken\\.jar: not a readable jar.*"), errors.get(0));
        assertTrue(errors.get(1).matches("dendrite: plugin error: .*collides\\.jar: org\\.example\\.bad\\.FakeDense "
                + "provides layer id 'dense', which dev\\.dendrite\\.basic\\.layers\\.Dense\\$Provider \\(built in\\) "
                + "already provides"), errors.get(1));
        assertTrue(errors.get(2).matches("dendrite: plugin error: .*throws\\.jar: cannot load a LossProvider: .*"
                + "org\\.example\\.bad\\.Boom.*boom: no licence file.*"), errors.get(2));
        assertTrue(r.out().lines().noneMatch(l -> l.contains(" boom ")), "the failing jar is left out");
    }

    @Test
    void theEnvironmentVariableLoadsPluginsToo() {
        java.io.StringWriter out = new java.io.StringWriter();
        int code = Main.run(new String[] {"plugins"}, new java.io.PrintWriter(out, true),
                new java.io.PrintWriter(new java.io.StringWriter(), true), "/no/such/dir" + File.pathSeparator + swishJar);
        assertEquals(0, code);
        assertTrue(out.toString().contains("swish"), out.toString());
    }

    @Test
    void theDroppedLayerPassesTheConformanceKit() {
        PluginJars.Result loaded = PluginJars.load(List.of(swishJar), getClass().getClassLoader());
        assertEquals(List.of(), loaded.problems());
        LayerProvider<?> swish = Registries.discover(loaded.loader()).layers().get("swish");
        assertTrue(PluginJars.isDropped(swish));
        var report = LayerConformance.of(swish).input(3, 4).anyRank().check();
        assertTrue(report.onnx().startsWith("max abs diff vs ONNX Runtime"), report.onnx());
    }

    @Test
    void trainsExportsAndValidatesAModelUsingTheDroppedLayer() throws IOException {
        Path data = CommandLineTest.tinyFashionMnist(dir.resolve("data"));
        Path spec = dir.resolve("swish-mlp.json");
        Files.writeString(spec, Files.readString(TEMPLATE.resolve("swish-mlp.json")).replace("\"out\": 128", "\"out\": 16")
                .replace("\"in\": 128", "\"in\": 16").replace("\"batchSize\": 64", "\"batchSize\": 16"));
        Path out = dir.resolve("runs");
        Cli train = Cli.run("--plugins", plugins.toString(), "train", spec.toString(), "--data", data.toString(),
                "--out", out.toString());
        assertEquals(0, train.code(), train.err());
        List<String> rows = Files.readAllLines(out.resolve("swish-mlp/metrics.csv"));
        assertEquals(3, rows.size(), "header + two epochs: " + rows);
        assertTrue(Files.readString(out.resolve("swish-mlp/report.md")).contains("(ok)"));

        Path onnx = dir.resolve("swish-mlp.onnx");
        Cli export = Cli.run("export", out.resolve("swish-mlp/checkpoint.zip").toString(), "-o", onnx.toString(),
                "--plugins", plugins.toString());
        assertEquals(0, export.code(), export.err());
        // The exported file is plain ONNX (Mul, Sigmoid, Gemm): validating it needs no plugin.
        Cli validate = Cli.run("validate", onnx.toString());
        assertEquals(0, validate.code(), validate.err() + validate.out());
        assertEquals("ok: Dendrite and ONNX Runtime agree", validate.lastLine());

        Cli withoutPlugin = Cli.run("export", out.resolve("swish-mlp/checkpoint.zip").toString(), "-o",
                dir.resolve("x.onnx").toString());
        assertEquals(1, withoutPlugin.code());
        assertTrue(withoutPlugin.err().contains("unknown layer 'swish'"), withoutPlugin.err());
    }

    private static List<Path> sources(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(p -> p.toString().endsWith(".java")).toList();
        }
    }

    /** javac with the test classpath (Dendrite's jars): what `mvn package` does in the template project. */
    private static Path compile(List<Path> sources, Path classes) throws IOException {
        Files.createDirectories(classes);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> args = new ArrayList<>(List.of("-d", classes.toString(), "-cp", cp, "--release", "17"));
        sources.forEach(s -> args.add(s.toString()));
        int rc = javac.run(null, null, null, args.toArray(String[]::new));
        assertEquals(0, rc, "javac failed on " + sources);
        return classes;
    }

    /** A jar of the compiled classes plus the resources folder's META-INF/services. */
    private static void jar(Path classes, Path resources, Path jar) throws IOException {
        try (OutputStream f = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(f)) {
            for (Path root : List.of(classes, resources)) {
                List<Path> files;
                try (Stream<Path> s = Files.walk(root)) {
                    files = s.filter(Files::isRegularFile).filter(p -> !p.toString().endsWith(".java")).toList();
                }
                for (Path p : files) {
                    j.putNextEntry(new JarEntry(root.relativize(p).toString().replace(File.separatorChar, '/')));
                    j.write(Files.readAllBytes(p));
                    j.closeEntry();
                }
            }
        }
    }

    private static void write(Path root, String rel, String content) throws IOException {
        Path f = root.resolve(rel);
        Files.createDirectories(f.getParent());
        Files.writeString(f, content);
    }
}

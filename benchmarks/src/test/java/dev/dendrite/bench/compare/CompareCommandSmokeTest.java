package dev.dendrite.bench.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A smoke test of the harness end to end on one short round, without PyTorch (a Python path that does not exist):
 * it must say so, still run Dendrite and ONNX Runtime in their worker process, and write both files. The timings
 * are only checked to be positive: speed is measured by the JMH benchmarks in {@code benchmarks/} and by
 * {@code dendrite bench compare} itself, never by timed unit tests.
 */
class CompareCommandSmokeTest {
    @TempDir
    Path dir;

    @Test
    void smokeRunWithoutPyTorchSaysSoAndWritesBothFiles() throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = BenchMain.run(new String[] {"compare", "--quick", "--rounds", "1", "--python", "/no/python3",
            "--out", dir.toString()}, new PrintWriter(out, true), new PrintWriter(err, true));
        assertEquals(0, code, err + "\n" + out);
        assertTrue(out.toString().contains("PyTorch: not available (/no/python3 not found"), out.toString());
        assertTrue(out.toString().contains("torchvision rows not run: no PyTorch to export torchvision's resnet18"),
                out.toString());
        assertTrue(out.toString().lines().anyMatch(l -> l.matches(
                "mobilenet_v2_train_b16\\s+samples/s\\s+not run: no PyTorch to export torchvision's mobilenet_v2")),
                out.toString());
        List<String> csv = Files.readAllLines(dir.resolve("compare.csv"));
        assertEquals(Results.CSV_HEADER, csv.get(0));
        String infer = csv.stream().filter(l -> l.startsWith("lenet5_infer_b64,")).findFirst().orElseThrow();
        String[] cells = infer.split(",", -1);
        assertTrue(Double.parseDouble(cells[2]) > 0, infer);
        assertEquals("", cells[3], "no PyTorch");
        assertTrue(Double.parseDouble(cells[4]) > 0, infer);
        assertTrue(Double.parseDouble(cells[6]) > 0, infer);
        assertTrue(Files.size(dir.resolve("compare.png")) > 1000);
    }

    @Test
    void dl4jWithoutItsEngineBuiltIsAOneLineErrorBeforeAnythingStarts() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = BenchMain.run(new String[] {"compare", "--dl4j", "--out", dir.toString()},
                new PrintWriter(out, true), new PrintWriter(err, true));
        assertEquals(2, code);
        assertTrue(err.toString().startsWith("--dl4j: the DL4J engine is not on this classpath; ./dendrite bench "
                + "compare --dl4j builds it (Maven profile dl4j)"), err.toString());
        assertEquals("", out.toString(), "no worker was started");
    }
}

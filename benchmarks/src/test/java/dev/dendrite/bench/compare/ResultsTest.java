package dev.dendrite.bench.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The table's arithmetic and compare.csv's exact format, on made-up timings. */
class ResultsTest {
    @TempDir
    Path dir;

    private static final Workload TRAIN = Workload.named("lenet5_train_b64");
    private static final Workload INFER = Workload.named("lenet5_infer_b64");

    private static Results sample() {
        Results r = new Results();
        // Three rounds: Dendrite 10, 20, 10 ms (eagerly 20 ms each); PyTorch 5, 10, 10 ms per batch of 64.
        for (double[] round : new double[][] {{10, 5}, {20, 10}, {10, 10}}) {
            r.add(TRAIN, Results.DENDRITE, round[0]);
            r.add(TRAIN, Results.PYTORCH, round[1]);
            r.add(TRAIN, Results.DENDRITE_EAGER, 20);
        }
        r.add(INFER, Results.DENDRITE, 4);
        r.add(INFER, Results.ONNXRUNTIME, 2);
        return r;
    }

    @Test
    void ratiosAreDendritesThroughputOverTheOtherPairedByRound() {
        Results.Row row = sample().rows(List.of(TRAIN)).get(0);
        assertEquals(64 * 1000.0 / 10, row.dendrite(), 1e-9, "median of 10, 20, 10 ms");
        assertEquals(64 * 1000.0 / 10, row.pytorch(), 1e-9, "median of 5, 10, 10 ms");
        // per round: 5/10, 10/20, 10/10 -> 0.5, 0.5, 1.0: below 1 means Dendrite is slower
        assertEquals(0.5, row.vsPytorch().median(), 1e-12);
        assertEquals(0.5, row.vsPytorch().min(), 1e-12);
        assertEquals(1.0, row.vsPytorch().max(), 1e-12);
        assertNull(row.vsOnnxRuntime(), "training rows have no ONNX Runtime side");
    }

    @Test
    void csvHasExactlyTheContractsColumnsAndEmptyCellsWhereASideDoesNotApply() throws IOException {
        List<Results.Row> rows = sample().rows(Workload.ALL);
        Path csv = dir.resolve("compare.csv");
        Results.writeCsv(rows, csv);
        List<String> lines = Files.readAllLines(csv);
        // The scripts' seven columns first, as they always were; dendrite_eager and DL4J's appended after them.
        assertEquals("workload,unit,dendrite,pytorch,onnxruntime,ratio_vs_pytorch,ratio_vs_onnxruntime,dendrite_eager,"
                + "dl4j,ratio_vs_dl4j,dl4j_onednn,ratio_vs_dl4j_onednn", lines.get(0));
        assertEquals(Workload.ALL.size() + 1, lines.size());
        assertEquals("lenet5_train_b64,samples/s,6400,6400,,0.5000,,3200,,,,", lines.get(1));
        assertEquals("lstm_train_b32,samples/s,,,,,,,,,,", lines.get(4));
        assertEquals("lenet5_infer_b64,samples/s,1.600e+04,,3.200e+04,,0.5000,,,,,", lines.get(8));
    }

    @Test
    void theTableShowsADashWhereASideDidNotRun() {
        String table = Results.table(sample().rows(Workload.ALL));
        assertTrue(table.lines().anyMatch(l -> l.matches("lstm_train_b32\\s+samples/s\\s+-\\s+-\\s+-.*")), table);
        assertTrue(table.contains("0.50x (0.50-1.00)"), table);
    }

    @Test
    void dl4jColumnsCarryItsTwoModesAndAppearInTheTableOnlyWhenItRan() throws IOException {
        assertTrue(Results.table(sample().rows(Workload.ALL)).lines().noneMatch(l -> l.contains("dl4j")),
                "no DL4J columns without --dl4j");
        Results r = sample();
        for (double ms : new double[] {40, 40, 80}) {
            r.add(TRAIN, Results.DL4J, ms);
            r.add(TRAIN, Results.DL4J_ONEDNN, 20);
        }
        Results.Row row = r.rows(List.of(TRAIN)).get(0);
        // per round: 40/10, 40/20, 80/10 -> 4, 2, 8 ; and 20/10, 20/20, 20/10 -> 2, 1, 2
        assertEquals(4.0, row.vsDl4j().median(), 1e-12);
        assertEquals(2.0, row.vsDl4jOneDnn().median(), 1e-12);
        assertEquals(64 * 1000.0 / 40, row.dl4j(), 1e-9);
        Path csv = dir.resolve("dl4j.csv");
        Results.writeCsv(r.rows(List.of(TRAIN, INFER)), csv);
        List<String> lines = Files.readAllLines(csv);
        assertEquals("lenet5_train_b64,samples/s,6400,6400,,0.5000,,3200,1600,4.000,3200,2.000", lines.get(1));
        assertEquals("lenet5_infer_b64,samples/s,1.600e+04,,3.200e+04,,0.5000,,,,,", lines.get(2));
        String table = Results.table(r.rows(List.of(TRAIN, INFER)));
        assertTrue(table.lines().findFirst().orElseThrow().contains("vs dl4j_onednn"), table);
        assertTrue(table.contains("4.00x (2.00-8.00)"), table);
    }

    @Test
    void aRowThatDidNotRunSaysWhyInTheTableAndLeavesItsCellsEmpty() throws IOException {
        Results r = sample();
        Workload tv = Workload.named("resnet18_infer_b16");
        r.skip(tv, "torchvision is not installed");
        assertTrue(r.skipped(tv));
        String table = Results.table(r.rows(List.of(TRAIN, tv)));
        assertTrue(table.lines().anyMatch(l -> l.matches(
                "resnet18_infer_b16\\s+samples/s\\s+not run: torchvision is not installed")), table);
        Path csv = dir.resolve("skipped.csv");
        Results.writeCsv(r.rows(List.of(tv)), csv);
        assertEquals("resnet18_infer_b16,samples/s,,,,,,,,,,", Files.readAllLines(csv).get(1));
    }

    @Test
    void everyEngineGetsTheSameThreadSettings() {
        assertEquals(java.util.Map.of("OMP_NUM_THREADS", "2", "OPENBLAS_NUM_THREADS", "2", "MKL_NUM_THREADS", "2",
                "OMP_WAIT_POLICY", "PASSIVE"), CompareCommand.threadEnv(2));
    }
}

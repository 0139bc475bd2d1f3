package dev.dendrite.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dendrite.spi.Json;
import dev.dendrite.tensor.DendriteException;
import dev.dendrite.testkit.Compare;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class CheckpointTest {
    @TempDir
    Path dir;

    private static Checkpoint sample() {
        TrainingSpec spec = Json.read("""
                {"model": {"type": "sequential", "config": {"layers": []}}, "loss": {"type": "mse"},
                 "optimizer": {"type": "sgd"}, "epochs": 3, "batchSize": 8, "seed": 1}""", TrainingSpec.class);
        TrainingState state = new TrainingState(1, 10, 1234,
                List.of(new EpochStats(1, 0.5, 0.25, Double.NaN, 0.1, 1.5, 100, Double.NaN, Double.NaN)));
        INDArray w = Nd4j.rand(DataType.FLOAT, 64, 32).subi(0.5);
        INDArray b = Nd4j.rand(DataType.FLOAT, 32).subi(0.5);
        // What AbstractOptimizer.state() holds for SGD with momentum: the global step, each parameter's own
        // step count (the bias missed one step), and a momentum buffer per parameter.
        return new Checkpoint(spec, state, Map.of("fc.weight", w, "fc.bias", b),
                Map.of("step", Nd4j.scalar(10L), "fc.weight/step", Nd4j.scalar(10L), "fc.bias/step", Nd4j.scalar(9L),
                        "fc.weight/momentum_buffer", w.mul(2), "fc.bias/momentum_buffer", b.mul(-3)));
    }

    /** Same names, and every array bit-identical (dtype, shape, each element): what "resumes bit-exact" needs. */
    private static void assertSameArrays(String what, Map<String, INDArray> expected, Map<String, INDArray> actual) {
        assertEquals(new TreeSet<>(expected.keySet()), new TreeSet<>(actual.keySet()), what + " names");
        expected.forEach((k, v) -> Compare.assertBitEqual(what + " " + k, actual.get(k), v));
    }

    @Test
    void roundTripsSpecStateParametersAndOptimizerState() {
        Path file = dir.resolve("ck.zip");
        Checkpoint c = sample();
        c.write(file);
        Checkpoint back = Checkpoint.read(file);
        assertEquals(c.spec(), back.spec());
        assertEquals(c.state().epoch(), back.state().epoch());
        assertEquals(c.state().rngState(), back.state().rngState());
        assertTrue(Double.isNaN(back.state().history().get(0).testAccuracy()), "NaN survives JSON");
        assertSameArrays("parameter", c.parameters(), back.parameters());
        assertSameArrays("optimizer state", c.optimizer(), back.optimizer());
        assertEquals(10L, back.optimizer().get("step").getLong(0));
        assertEquals(9L, back.optimizer().get("fc.bias/step").getLong(0));
    }

    @Test
    void aTruncatedCheckpointIsAClearError() throws IOException {
        Path file = dir.resolve("ck.zip");
        sample().write(file);
        byte[] all = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(all, all.length / 2));
        DendriteException e = assertThrows(DendriteException.class, () -> Checkpoint.read(file));
        assertTrue(e.getMessage().startsWith(file + ": not a readable checkpoint (truncated or not a zip)"),
                e.getMessage());
    }

    @Test
    void aDamagedEntryIsNamed() throws IOException {
        Path file = dir.resolve("ck.zip");
        sample().write(file);
        byte[] all = Files.readAllBytes(file);
        int at = indexOf(all, "params/fc.weight.npy".getBytes()) + 200; // inside that entry's compressed data
        all[at] ^= 0x5A;
        Files.write(file, all);
        DendriteException e = assertThrows(DendriteException.class, () -> Checkpoint.read(file));
        assertTrue(e.getMessage().startsWith(file + ": entry 'params/fc.weight.npy' is damaged"), e.getMessage());
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found");
    }

    @Test
    void aMissingFileAndAMissingEntryAreNamed() throws IOException {
        DendriteException missing = assertThrows(DendriteException.class,
                () -> Checkpoint.read(dir.resolve("nope.zip")));
        assertEquals(dir.resolve("nope.zip") + ": no such checkpoint file", missing.getMessage());
        Path file = dir.resolve("empty.zip");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
            zip.putNextEntry(new ZipEntry("state.json"));
            zip.write("{}".getBytes());
            zip.closeEntry();
        }
        DendriteException noSpec = assertThrows(DendriteException.class, () -> Checkpoint.read(file));
        assertEquals(file + ": checkpoint has no spec.json entry", noSpec.getMessage());
    }
}

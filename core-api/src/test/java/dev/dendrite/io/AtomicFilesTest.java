package dev.dendrite.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
    @TempDir
    Path dir;

    @Test
    void aWriteThatFailsHalfwayLeavesThePreviousFileAndNoLeftovers() throws IOException {
        Path target = dir.resolve("checkpoint.zip");
        AtomicFiles.write(target, out -> out.write("epoch 1".getBytes()));
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(target, out -> {
            out.write("epoch 2, half of it".getBytes());
            throw new IOException("disk full");
        }));
        assertEquals("disk full", e.getMessage());
        assertEquals("epoch 1", Files.readString(target));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(target), files.toList(), "the temporary file is gone");
        }
    }

    @Test
    void aSuccessfulWriteReplacesTheFile() throws IOException {
        Path target = dir.resolve("sub/metrics.bin");
        AtomicFiles.write(target, out -> out.write(1));
        AtomicFiles.write(target, out -> out.write(2));
        assertEquals(2, Files.readAllBytes(target)[0]);
    }
}

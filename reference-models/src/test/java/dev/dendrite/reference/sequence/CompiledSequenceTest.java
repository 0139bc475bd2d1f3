package dev.dendrite.reference.sequence;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.dendrite.reference.models.Study;
import dev.dendrite.reference.run.EngineOptions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sequence studies' loops (truncated BPTT with the state carried in as inputs; bucketed teacher forcing with a
 * plan per length) compiled give what eager gives, bit for bit: every figure of metrics.csv but the timings.
 */
class CompiledSequenceTest {
    @TempDir
    Path out;

    private List<String> figures(Study study, String dir, boolean compiled) throws IOException {
        Study.Context c = new Study.Context(null, null, out.resolve(dir), 42, 1,
                new PrintStream(new ByteArrayOutputStream()), null, new EngineOptions(compiled, false));
        study.run(c);
        // Every column but the last (seconds).
        return Files.readAllLines(c.out().resolve("metrics.csv")).stream()
                .map(l -> String.join(",", Arrays.copyOf(l.split(","), l.split(",").length - 1))).toList();
    }

    @Test
    void charLstmCompiledMatchesEager() throws IOException {
        assertEquals(figures(new CharLstmStudy(CharLstmStudy.Config.SMALL), "eager", false),
                figures(new CharLstmStudy(CharLstmStudy.Config.SMALL), "compiled", true));
    }

    @Test
    void seq2seqCompiledMatchesEager() throws IOException {
        Seq2SeqStudy.Config small = new Seq2SeqStudy.Config(8, 16, 32, 1e-2, 1e-3, 1.0, 1, 640, 60);
        assertEquals(figures(new Seq2SeqStudy(small), "eager", false),
                figures(new Seq2SeqStudy(small), "compiled", true));
    }
}

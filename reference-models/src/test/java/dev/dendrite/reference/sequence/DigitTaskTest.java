package dev.dendrite.reference.sequence;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dendrite.random.Rng;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The seq2seq study's task generator, batching, metric and greedy decoding. */
class DigitTaskTest {
    @Test
    void generationIsDeterministicBySeed() {
        DigitReversal.Splits a = DigitReversal.generate(7, 3000, 500);
        DigitReversal.Splits b = DigitReversal.generate(7, 3000, 500);
        DigitReversal.Splits c = DigitReversal.generate(8, 3000, 500);
        assertEquals(a, b);
        assertNotEquals(a.train(), c.train());
        assertEquals(3000, a.train().size());
        assertEquals(500, a.heldOut().size());
    }

    @Test
    void heldOutSequencesAreDistinctAndNeverTrainedOn() {
        // 20k training draws: about 3300 of length 5 from 10^5 possible, so collisions with held-out ones occur and
        // must have been rejected.
        DigitReversal.Splits s = DigitReversal.generate(1, 20_000, 2_000);
        Set<DigitReversal.Example> held = new HashSet<>(s.heldOut());
        assertEquals(2_000, held.size());
        assertTrue(s.train().stream().noneMatch(held::contains));
        int[] perLength = new int[DigitReversal.MAX_LENGTH + 1];
        s.train().forEach(e -> perLength[e.length()]++);
        for (int len = DigitReversal.MIN_LENGTH; len <= DigitReversal.MAX_LENGTH; len++) {
            assertEquals(20_000 / 6.0, perLength[len], 250, "length " + len);
        }
        assertTrue(s.train().stream().flatMapToInt(e -> java.util.Arrays.stream(e.source()))
                .allMatch(d -> d >= 0 && d <= 9));
    }

    @Test
    void theTargetIsTheReversedSourceThenEos() {
        DigitReversal.Example e = new DigitReversal.Example(new int[] {3, 1, 4, 1, 5});
        assertArrayEquals(new int[] {5, 1, 4, 1, 3, DigitReversal.EOS}, e.target());
        assertEquals("31415", e.toString());
    }

    @Test
    void teacherForcingShiftsTheTargetBehindGo() {
        INDArray[] b = Seq2SeqStudy.teacherForcing(List.of(new DigitReversal.Example(new int[] {1, 2, 3, 4, 5}),
                new DigitReversal.Example(new int[] {9, 8, 7, 6, 0})));
        assertArrayEquals(new long[] {2, 5}, b[0].shape());
        assertArrayEquals(new long[] {Seq2SeqGru.GO, 5, 4, 3, 2, 1}, b[1].getRow(0).toLongVector());
        assertArrayEquals(new long[] {5, 4, 3, 2, 1, DigitReversal.EOS, 0, 6, 7, 8, 9, DigitReversal.EOS},
                b[2].toLongVector());
    }

    @Test
    void bucketsHoldOneLengthAndCoverEveryExampleOnce() {
        DigitReversal.Splits s = DigitReversal.generate(2, 1000, 10);
        List<List<DigitReversal.Example>> batches = Buckets.batches(Buckets.byLength(s.train()), 64, new Rng(1));
        int total = 0;
        for (List<DigitReversal.Example> b : batches) {
            assertTrue(b.size() <= 64);
            assertTrue(b.stream().allMatch(e -> e.length() == b.get(0).length()));
            total += b.size();
        }
        assertEquals(1000, total);
    }

    @Test
    void exactMatchNeedsTheWholeSequenceWithEos() {
        int[] target = {2, 1, DigitReversal.EOS}; // not a real source length: scored as length 2
        List<int[]> targets = List.of(new int[] {5, 4, 3, 2, 1, 10}, new int[] {5, 4, 3, 2, 1, 10},
                new int[] {5, 4, 3, 2, 1, 10}, new int[] {6, 5, 4, 3, 2, 1, 10});
        List<int[]> outputs = List.of(new int[] {5, 4, 3, 2, 1, 10}, // exact
                new int[] {5, 4, 3, 2, 1}, // no EOS within the step limit
                new int[] {5, 4, 9, 2, 1, 10}, // one digit wrong
                new int[] {6, 5, 4, 3, 2, 1, 10});
        ExactMatch m = ExactMatch.score(targets, outputs);
        assertEquals(2, m.exact());
        assertEquals(0.5, m.accuracy());
        assertEquals((6 + 5 + 5 + 7) / 25.0, m.tokenAccuracy(), 1e-12);
        assertEquals(1 / 3.0, m.accuracy(5), 1e-12);
        assertEquals(1.0, m.accuracy(6));
        assertTrue(Double.isNaN(m.accuracy(7)));
        assertEquals(3, m.count(5));
        assertFalse(ExactMatch.score(List.of(target), List.of(new int[] {2, 1, DigitReversal.EOS, 3})).exact() == 1);
    }

    @Test
    void greedyDecodingStopsEachSequenceAtItsEos() {
        // A fake decoder: sequence 0 says EOS at step 2, sequence 1 never does; every step echoes the input + 1.
        List<int[]> fed = new ArrayList<>();
        int[] step = {0};
        GreedyDecoder.Step fake = previous -> {
            fed.add(previous.clone());
            float[][] scores = new float[2][11];
            scores[0][step[0] == 2 ? DigitReversal.EOS : (previous[0] + 1) % 10] = 1;
            scores[1][(previous[1] + 1) % 10] = 1;
            step[0]++;
            return scores;
        };
        List<int[]> out = GreedyDecoder.decode(fake, 2, Seq2SeqGru.GO, DigitReversal.EOS, 5);
        assertArrayEquals(new int[] {1, 2, DigitReversal.EOS}, out.get(0)); // GO = 10, so (10 + 1) % 10 = 1
        assertArrayEquals(new int[] {1, 2, 3, 4, 5}, out.get(1)); // cut at the step limit
        assertEquals(5, fed.size());
        assertArrayEquals(new int[] {Seq2SeqGru.GO, Seq2SeqGru.GO}, fed.get(0));
        assertArrayEquals(new int[] {2, 2}, fed.get(2)); // each step's arg-max is fed back
        assertArrayEquals(new int[] {DigitReversal.EOS, 3}, fed.get(3)); // a finished row's tokens are ignored
        // All sequences finished: no further steps.
        step[0] = 0;
        fed.clear();
        GreedyDecoder.decode(previous -> {
            fed.add(previous);
            float[][] s = new float[1][11];
            s[0][DigitReversal.EOS] = 1;
            return s;
        }, 1, Seq2SeqGru.GO, DigitReversal.EOS, 12);
        assertEquals(1, fed.size());
    }
}

package dev.dendrite.reference.sequence;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dendrite.tensor.DendriteException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The char-lstm study's text handling and its bigram baseline, against figures computed by hand. */
class TextBaselineTest {
    @TempDir
    Path dir;

    @Test
    void splitsContiguouslyAtNinetyPercentWithTheWholeTextsVocabulary() {
        CharCorpus c = CharCorpus.of("abcabcabcabcabcabcabcabcabcaz", "test"); // 29 characters, z only at the end
        assertEquals(29, c.length());
        assertEquals(26, c.trainEnd()); // floor(0.9 · 29)
        assertEquals(3, c.heldOutLength());
        assertArrayEquals(new char[] {'a', 'b', 'c', 'z'}, c.vocabulary());
        assertEquals("caz", c.decode(c.heldOut()));
        assertEquals(1, c.heldOutOnlyCharacters());
        assertEquals(-1, c.id('q'));
    }

    @Test
    void theEmbeddedGplIsTheSystemsCopy() throws IOException {
        CharCorpus embedded;
        try (var in = CharCorpus.class.getResourceAsStream("/datasets/text/GPL-3")) {
            embedded = CharCorpus.of(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8), "e");
        }
        assertEquals(35_149, embedded.length());
        assertEquals(31_634, embedded.trainEnd());
        assertEquals(3_515, embedded.heldOutLength());
        if (Files.isRegularFile(CharCorpus.SYSTEM_GPL3)) {
            assertArrayEquals(CharCorpus.load(null).ids(), embedded.ids());
        }
    }

    @Test
    void aMissingDataFileIsAClearError() {
        DendriteException e = assertThrows(DendriteException.class, () -> CharCorpus.load(dir.resolve("none.txt")));
        assertTrue(e.getMessage().contains("none.txt is not a text file"), e.getMessage());
    }

    @Test
    void readsAGivenFile() throws IOException {
        Path f = dir.resolve("t.txt");
        Files.writeString(f, "hello world, hello again world");
        CharCorpus c = CharCorpus.load(f);
        assertEquals(30, c.length());
        assertEquals(27, c.trainEnd());
    }

    @Test
    void bigramBitsPerCharacterMatchAHandComputation() {
        // Vocabulary {a, b} (V = 2); training text "aab": pairs aa, ab; counts n(a) = 2, n(aa) = 1, n(ab) = 1.
        int[] train = {0, 0, 1};
        BigramModel m = BigramModel.fit(train, 2, 1.0);
        // p(b|a) = (1+1)/(2+2) = 1/2, p(a|a) = 1/2, p(a|b) = (0+1)/(0+2) = 1/2, p(b|b) = 1/2.
        assertEquals(0.5, m.probability(0, 1), 1e-15);
        assertEquals(0.5, m.probability(1, 0), 1e-15);
        // Text "abba", scoring t = 1..3: every pair has p = 1/2, so exactly 1 bit per character.
        assertEquals(1.0, m.bitsPerCharacter(new int[] {0, 1, 1, 0}, 1, 4), 1e-12);
        BigramModel sharp = BigramModel.fit(new int[] {0, 0, 0, 1}, 2, 0.5);
        // n(a) = 3, n(aa) = 2, n(ab) = 1: p(a|a) = 2.5/4, p(b|a) = 1.5/4; n(b) = 0: p(·|b) = 1/2.
        double expected = -(Math.log(2.5 / 4) / Math.log(2) + Math.log(1.5 / 4) / Math.log(2) + Math.log(0.5)
                / Math.log(2)) / 3;
        assertEquals(expected, sharp.bitsPerCharacter(new int[] {0, 0, 1, 1}, 1, 4), 1e-12);
    }

    @Test
    void alphaIsChosenOnTheTrainingTextOnly() {
        // A strictly alternating text: the slice is predicted best with almost no smoothing.
        int[] alternating = new int[400];
        for (int i = 0; i < alternating.length; i++) {
            alternating[i] = i % 2;
        }
        assertEquals(BigramModel.ALPHAS[0], BigramModel.chooseAlpha(alternating, 2, 0.1));
        assertThrows(IllegalArgumentException.class, () -> BigramModel.fit(alternating, 2, 0));
        assertThrows(IllegalArgumentException.class, () -> BigramModel.fit(alternating, 2, 1)
                .bitsPerCharacter(alternating, 0, 10));
    }

    @Test
    void samplingFollowsTheTemperedSoftmax() {
        dev.dendrite.random.Rng rng = new dev.dendrite.random.Rng(3);
        int[] counts = new int[2];
        for (int i = 0; i < 20_000; i++) {
            counts[CharLstmStudy.draw(new double[] {0, Math.log(3) * CharLstmStudy.TEMPERATURE}, rng)]++;
        }
        // logits scaled by 1/T give odds 1 : 3.
        assertEquals(0.75, counts[1] / 20_000.0, 0.015);
    }
}

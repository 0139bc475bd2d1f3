package dev.dendrite.reference.sequence;

import dev.dendrite.tensor.DendriteException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.TreeSet;

/**
 * A text as character ids, split contiguously: the first {@link #TRAIN_FRACTION} for training, the rest held out.
 * The vocabulary is every distinct character of the whole text, sorted by code point, so a character seen only in
 * the held-out part still has an id (the models give it the small probability their smoothing or softmax leaves,
 * and are charged for it like any other).
 *
 * @param description where the text came from, for reports
 * @param vocabulary the distinct characters, id order
 * @param ids the whole text as ids
 * @param trainEnd ids [0, trainEnd) are the training part, [trainEnd, length) the held-out part
 */
public record CharCorpus(String description, char[] vocabulary, int[] ids, int trainEnd) {
    public static final double TRAIN_FRACTION = 0.9;
    /** The study's default text: Debian ships the GPL version 3 here. */
    public static final Path SYSTEM_GPL3 = Path.of("/usr/share/common-licenses/GPL-3");
    private static final String EMBEDDED_GPL3 = "/datasets/text/GPL-3";

    /**
     * {@code file} when given; else the system's GPL-3, else the verbatim copy embedded in this jar (the same
     * bytes, so the figures do not depend on the machine).
     */
    public static CharCorpus load(Path file) {
        if (file != null) {
            if (!Files.isRegularFile(file)) {
                throw new DendriteException("char-lstm: --data " + file + " is not a text file");
            }
            return of(read(file), file.toString());
        }
        if (Files.isRegularFile(SYSTEM_GPL3)) {
            return of(read(SYSTEM_GPL3), SYSTEM_GPL3 + " (GNU GPL version 3)");
        }
        try (InputStream in = CharCorpus.class.getResourceAsStream(EMBEDDED_GPL3)) {
            if (in == null) {
                throw new DendriteException("char-lstm: no " + SYSTEM_GPL3 + " and no embedded copy " + EMBEDDED_GPL3);
            }
            return of(new String(in.readAllBytes(), StandardCharsets.UTF_8), "GNU GPL version 3 (embedded copy)");
        } catch (IOException e) {
            throw new DendriteException("char-lstm: cannot read the embedded GPL-3: " + e.getMessage(), e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new DendriteException("char-lstm: cannot read " + file + " as UTF-8 text: " + e.getMessage(), e);
        }
    }

    /** Splits {@code text} at ⌊{@link #TRAIN_FRACTION}·length⌋. */
    public static CharCorpus of(String text, String description) {
        if (text.length() < 20) {
            throw new DendriteException("char-lstm: the text " + description + " has " + text.length()
                    + " characters; at least 20 are needed for a training and a held-out part");
        }
        TreeSet<Character> distinct = new TreeSet<>();
        for (int i = 0; i < text.length(); i++) {
            distinct.add(text.charAt(i));
        }
        char[] vocabulary = new char[distinct.size()];
        int k = 0;
        for (char ch : distinct) {
            vocabulary[k++] = ch;
        }
        int[] ids = new int[text.length()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = Arrays.binarySearch(vocabulary, text.charAt(i));
        }
        return new CharCorpus(description, vocabulary, ids, (int) Math.floor(TRAIN_FRACTION * text.length()));
    }

    public int vocabularySize() {
        return vocabulary.length;
    }

    public int length() {
        return ids.length;
    }

    public int heldOutLength() {
        return ids.length - trainEnd;
    }

    public int[] train() {
        return Arrays.copyOfRange(ids, 0, trainEnd);
    }

    public int[] heldOut() {
        return Arrays.copyOfRange(ids, trainEnd, ids.length);
    }

    /** The id of {@code ch}, or −1 when the text never contains it. */
    public int id(char ch) {
        int i = Arrays.binarySearch(vocabulary, ch);
        return i < 0 ? -1 : i;
    }

    public String decode(int[] someIds) {
        StringBuilder s = new StringBuilder(someIds.length);
        for (int i : someIds) {
            s.append(vocabulary[i]);
        }
        return s.toString();
    }

    /** Distinct characters of the held-out part that never occur in the training part. */
    public int heldOutOnlyCharacters() {
        boolean[] inTrain = new boolean[vocabulary.length];
        for (int i = 0; i < trainEnd; i++) {
            inTrain[ids[i]] = true;
        }
        boolean[] counted = new boolean[vocabulary.length];
        int n = 0;
        for (int i = trainEnd; i < ids.length; i++) {
            if (!inTrain[ids[i]] && !counted[ids[i]]) {
                counted[ids[i]] = true;
                n++;
            }
        }
        return n;
    }
}

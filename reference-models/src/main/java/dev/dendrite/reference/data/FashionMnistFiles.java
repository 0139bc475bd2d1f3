package dev.dendrite.reference.data;

import dev.dendrite.tensor.DendriteException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds the four Fashion-MNIST files of one source and reads them as IDX.
 *
 * <p>A directory is checked whole before anything is read, so a user who points {@code --data} at the
 * wrong place learns at once every file that is missing, not one per run.
 */
final class FashionMnistFiles {
    static final String TRAIN_IMAGES = "train-images-idx3-ubyte";
    static final String TRAIN_LABELS = "train-labels-idx1-ubyte";
    static final String TEST_IMAGES = "t10k-images-idx3-ubyte";
    static final String TEST_LABELS = "t10k-labels-idx1-ubyte";
    static final List<String> NAMES = List.of(TRAIN_IMAGES, TRAIN_LABELS, TEST_IMAGES, TEST_LABELS);

    /** Where the embedded subset lives in the jar. */
    static final String EMBEDDED_RESOURCES = "/datasets/fashion-mnist-subset/";

    /** Reads one of {@link #NAMES}. */
    interface Reader {
        IdxArray read(String name);
    }

    private FashionMnistFiles() {}

    /**
     * The files in {@code dir}, each either plain or {@code .gz} (the plain one wins if both exist: it is
     * what someone unpacked on purpose).
     *
     * @param what how the directory came to be used, for messages ("--data directory")
     */
    static Reader directory(Path dir, String what) {
        if (!Files.isDirectory(dir)) {
            throw new DendriteException("Fashion-MNIST: " + what + " " + dir + " does not exist or is not a"
                    + " directory; it should contain " + expected());
        }
        Map<String, Path> found = new LinkedHashMap<>();
        List<String> missing = new ArrayList<>();
        for (String name : NAMES) {
            Path plain = dir.resolve(name);
            Path gz = dir.resolve(name + ".gz");
            if (Files.isRegularFile(plain)) {
                found.put(name, plain);
            } else if (Files.isRegularFile(gz)) {
                found.put(name, gz);
            } else {
                missing.add(name + "[.gz]");
            }
        }
        if (!missing.isEmpty()) {
            throw new DendriteException("Fashion-MNIST: " + what + " " + dir + " has no "
                    + String.join(", ", missing) + "; it should contain " + expected());
        }
        return name -> IdxReader.read(found.get(name));
    }

    /** The subset bundled in this jar (see the README beside the files). */
    static Reader embedded() {
        return name -> {
            String resource = EMBEDDED_RESOURCES + name + ".gz";
            InputStream in = FashionMnistFiles.class.getResourceAsStream(resource);
            if (in == null) {
                throw new DendriteException("Fashion-MNIST: the embedded subset file classpath:" + resource
                        + " is missing; the dendrite-reference-models jar is incomplete");
            }
            return IdxReader.read(in, "classpath:" + resource);
        };
    }

    private static String expected() {
        return String.join(", ", NAMES.stream().map(n -> n + "[.gz]").toList());
    }
}

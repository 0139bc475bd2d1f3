package dev.dendrite.reference.data;

import dev.dendrite.data.ArrayDataset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Fashion-MNIST (Zalando Research, MIT licence): 28×28 grey images of clothing in 10 classes, 60000 train
 * and 10000 test.
 *
 * <p>Looked for in this order, and {@link #source()} tells which was used:
 * <ol>
 *   <li>a directory the caller names ({@code --data DIR}) holding
 *       {@code {train,t10k}-{images-idx3,labels-idx1}-ubyte[.gz]}; if it is named it must be right: a
 *       missing directory or file is an error, never a silent fallback to other data;</li>
 *   <li>Debian's {@code dataset-fashion-mnist} at {@link #SYSTEM_DIR}, if that directory exists (if it
 *       exists but is broken that is an error too);</li>
 *   <li>the subset bundled in this jar: the first 1000 examples of each class of the train split and the
 *       first 200 of each class of the test split (10000 / 2000; see
 *       {@code datasets/fashion-mnist-subset/README.md}), so that everything runs on any machine.</li>
 * </ol>
 *
 * <p>Features are float32 {@code [N, 784]}: pixel/255, then normalised with the full training set's
 * {@link #MEAN} and {@link #STD} (the figures PyTorch recipes use), whichever source was loaded, so a
 * model trained on the subset sees inputs on the same scale as one trained on the full set. Labels are
 * int64 {@code [N]}, class indices into {@link #CLASS_NAMES}.
 */
public final class FashionMnist {
    public static final Path SYSTEM_DIR = Path.of("/usr/share/datasets/fashion-mnist");

    /** Mean of pixel/255 over the full training set. */
    public static final float MEAN = 0.2860f;

    /** Standard deviation of pixel/255 over the full training set. */
    public static final float STD = 0.3530f;

    public static final int HEIGHT = 28;
    public static final int WIDTH = 28;

    /** Class names by label, as in Zalando's README. */
    public static final List<String> CLASS_NAMES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
            "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    private static final String EMBEDDED_LOCATION = "bundled in dendrite-reference-models";

    private final ArrayDataset train;
    private final ArrayDataset test;
    private final Source source;

    private FashionMnist(ArrayDataset train, ArrayDataset test, Source source) {
        this.train = train;
        this.test = test;
        this.source = source;
    }

    /** The system copy if installed, else the embedded subset. */
    public static FashionMnist load() {
        return load(null, SYSTEM_DIR);
    }

    /**
     * From {@code dataDir} if it is not null (the {@code --data} option), else as {@link #load()}.
     *
     * @throws dev.dendrite.tensor.DendriteException if {@code dataDir} is given but does not exist or lacks a
     *     file (the message names the path and the files expected), or if a file is not valid IDX
     */
    public static FashionMnist load(Path dataDir) {
        return load(dataDir, SYSTEM_DIR);
    }

    /** As {@link #load(Path)} with the system directory as a parameter, so tests can take it away. */
    static FashionMnist load(Path dataDir, Path systemDir) {
        if (dataDir != null) {
            return fromDirectory(dataDir);
        }
        if (Files.isDirectory(systemDir)) {
            return read(FashionMnistFiles.directory(systemDir, "system directory"),
                    new Source(Source.Kind.SYSTEM, systemDir.toString()));
        }
        return embedded();
    }

    /** From a directory the caller names; it must hold the four files. */
    public static FashionMnist fromDirectory(Path dir) {
        return read(FashionMnistFiles.directory(dir, "--data directory"),
                new Source(Source.Kind.DIRECTORY, dir.toString()));
    }

    /** The 10000 / 2000 subset bundled in this jar. */
    public static FashionMnist embedded() {
        return read(FashionMnistFiles.embedded(), new Source(Source.Kind.EMBEDDED, EMBEDDED_LOCATION));
    }

    private static FashionMnist read(FashionMnistFiles.Reader files, Source source) {
        ArrayDataset train = split(files, FashionMnistFiles.TRAIN_IMAGES, FashionMnistFiles.TRAIN_LABELS, "train",
                source);
        ArrayDataset test = split(files, FashionMnistFiles.TEST_IMAGES, FashionMnistFiles.TEST_LABELS, "test",
                source);
        return new FashionMnist(train, test, source);
    }

    private static ArrayDataset split(FashionMnistFiles.Reader files, String imageFile, String labelFile,
            String split, Source source) {
        IdxArray images = files.read(imageFile);
        IdxArray labels = files.read(labelFile);
        String description = name(source) + " " + split + " (" + images.count() + ", " + where(source) + ")";
        return ImageSplits.of(images, labels, HEIGHT, WIDTH, CLASS_NAMES.size(), MEAN, STD, description);
    }

    public ArrayDataset train() {
        return train;
    }

    public ArrayDataset test() {
        return test;
    }

    public Source source() {
        return source;
    }

    /**
     * What was loaded, for reports: "Fashion-MNIST (full, 60000 train / 10000 test,
     * /usr/share/datasets/fashion-mnist)" or "Fashion-MNIST embedded subset (10000 train / 2000 test, bundled
     * in dendrite-reference-models)".
     */
    public String description() {
        boolean full = source.kind() != Source.Kind.EMBEDDED && train.size() == 60000 && test.size() == 10000;
        return name(source) + " (" + (full ? "full, " : "") + train.size() + " train / " + test.size() + " test, "
                + where(source) + ")";
    }

    @Override
    public String toString() {
        return description();
    }

    /** The name of class {@code label}. */
    public static String className(long label) {
        return CLASS_NAMES.get(Math.toIntExact(label));
    }

    private static String name(Source source) {
        return source.kind() == Source.Kind.EMBEDDED ? "Fashion-MNIST embedded subset" : "Fashion-MNIST";
    }

    private static String where(Source source) {
        return source.kind() == Source.Kind.DIRECTORY ? "--data " + source.location() : source.location();
    }
}

package dev.dendrite.reference.run;

import dev.dendrite.reference.data.FashionMnist;
import dev.dendrite.tensor.DendriteException;
import java.nio.file.Path;

/** Datasets by the name a spec's {@code "data"} field uses. */
public final class Datasets {
    private Datasets() {}

    /** {@code dataDir} may be null: then the installed or embedded copy is used. */
    public static FashionMnist load(String name, Path dataDir) {
        if (name == null || name.equals("fashion-mnist")) {
            return dataDir == null ? FashionMnist.load() : FashionMnist.load(dataDir);
        }
        throw unknown(name);
    }

    /** The shape of one example's features (without the batch dimension), without loading the data. */
    public static long[] featureShape(String name) {
        if (name == null || name.equals("fashion-mnist")) {
            return new long[] {FashionMnist.HEIGHT * FashionMnist.WIDTH};
        }
        throw unknown(name);
    }

    private static DendriteException unknown(String name) {
        return new DendriteException("unknown dataset '" + name + "'; known datasets: fashion-mnist");
    }
}

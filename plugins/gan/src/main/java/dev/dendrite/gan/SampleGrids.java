package dev.dendrite.gan;

import dev.dendrite.nn.Init;
import dev.dendrite.random.Rng;
import java.nio.file.Path;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The generator's output on one fixed batch of noise, as a PNG grid after every epoch
 * ({@code epoch-001.png}, ...), so a run's progress is seen on the same z throughout. The noise comes from its
 * own stream (seeded from the spec's seed), not the run's: drawing it changes nothing in training.
 */
public final class SampleGrids implements GanListener {
    private final Path dir;
    private final int rows;
    private final int columns;
    private final double low;
    private final double high;
    private INDArray noise;

    /** @param low the generator's output that draws black (−1 for Tanh), {@code high} white */
    public SampleGrids(Path dir, int rows, int columns, double low, double high) {
        this.dir = dir;
        this.rows = rows;
        this.columns = columns;
        this.low = low;
        this.high = high;
    }

    /** The grid's file for {@code epoch}. */
    public static Path file(Path dir, int epoch) {
        return dir.resolve(String.format("epoch-%03d.png", epoch));
    }

    @Override
    public void onStart(GanRun run, GanState state) {
        noise = Init.normal(new Rng(run.spec().seed() ^ 0x6A11E5L), run.dtype(), 0, 1,
                run.spec().noiseShape((long) rows * columns));
    }

    @Override
    public void onEpoch(GanRun run, GanEpochStats stats, GanState state) {
        INDArray images = ClassifierScore.generate(run.generator(), noise);
        ImageGrid.write(file(dir, stats.epoch()), images, columns, low, high, 2);
    }
}

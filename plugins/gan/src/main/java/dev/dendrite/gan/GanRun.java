package dev.dendrite.gan;

import dev.dendrite.data.DataLoader;
import dev.dendrite.nn.Layer;
import dev.dendrite.optim.Optimizer;
import dev.dendrite.random.Rng;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * A GAN run assembled from its spec ({@link GanRuns}): both models, both optimizers, the loss, the real data in
 * shuffled batches, the random stream that drives shuffling and noise, and where it starts.
 */
public record GanRun(GanSpec spec, Layer generator, Layer discriminator, Optimizer generatorOptimizer,
        Optimizer discriminatorOptimizer, GanLoss loss, DataLoader data, Rng rng, DataType dtype, GanState start) {}

package dev.dendrite.train;

import dev.dendrite.data.DataLoader;
import dev.dendrite.data.Dataset;
import dev.dendrite.loss.Loss;
import dev.dendrite.nn.Model;
import dev.dendrite.optim.LrSchedule;
import dev.dendrite.optim.Optimizer;

/**
 * Everything one run trains with, assembled from a {@link TrainingSpec} (fresh) or a {@link Checkpoint}
 * (resumed) by {@link Runs}. {@code start} is where it begins: epoch 0, or the checkpoint's epoch.
 * {@code validation} (held out of the training data by the spec's {@code validationSplit}) may be null.
 * {@code trainer} is null for gradient steps; with a trainer strategy, {@code optimizer} is null when the spec
 * names none.
 */
public record TrainingRun(TrainingSpec spec, Model model, Loss loss, Optimizer optimizer, double baseLr,
        LrSchedule schedule, DataLoader train, Dataset validation, Dataset test, TrainingState start,
        TrainerStrategy trainer) {}

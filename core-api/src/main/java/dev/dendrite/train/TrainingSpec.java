package dev.dendrite.train;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.dendrite.nn.ComponentSpec;
import dev.dendrite.nn.LayerSpec;
import dev.dendrite.tensor.DendriteException;

/**
 * A whole training run as data: what {@code dendrite train SPEC.json} reads and what every checkpoint
 * stores, so a checkpoint alone is enough to rebuild and resume the run.
 *
 * @param schedule optional; {@code scheduleUnit} says whether it counts epochs (default) or steps
 * @param data the dataset's name, e.g. {@code "fashion-mnist"}
 * @param validationSplit optional fraction of the training data held out and evaluated every epoch
 *     (early stopping watches it when present)
 * @param trainer optional: a {@link TrainerStrategy} that fits the model instead of optimizer steps (then
 *     {@code optimizer} may be left out)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TrainingSpec(LayerSpec model, ComponentSpec loss, ComponentSpec optimizer, ComponentSpec schedule,
        String scheduleUnit, Integer epochs, Integer batchSize, Long seed, String data, Double validationSplit,
        ComponentSpec trainer) {

    /** Used when a spec gives no seed. */
    public static final long DEFAULT_SEED = 42;

    public TrainingSpec {
        java.util.List<String> missing = new java.util.ArrayList<>();
        if (model == null) {
            missing.add("\"model\"");
        }
        if (loss == null) {
            missing.add("\"loss\"");
        }
        if (optimizer == null && trainer == null) {
            missing.add("\"optimizer\" (or a \"trainer\")");
        }
        if (epochs == null) {
            missing.add("\"epochs\"");
        }
        if (batchSize == null) {
            missing.add("\"batchSize\"");
        }
        if (!missing.isEmpty()) {
            throw new DendriteException("a training spec needs " + String.join(", ", missing));
        }
        if (seed == null) {
            seed = DEFAULT_SEED;
        }
        if (validationSplit != null && !(validationSplit >= 0 && validationSplit < 1)) {
            throw new DendriteException("validationSplit must be in [0, 1), got " + validationSplit);
        }
        if (scheduleUnit == null) {
            scheduleUnit = "epoch";
        }
        if (!scheduleUnit.equals("epoch") && !scheduleUnit.equals("step")) {
            throw new DendriteException("scheduleUnit must be \"epoch\" or \"step\", got \"" + scheduleUnit + "\"");
        }
        if (epochs <= 0 || batchSize <= 0) {
            throw new DendriteException("epochs and batchSize must be positive, got epochs=" + epochs + ", batchSize="
                    + batchSize);
        }
    }

    public TrainingSpec withEpochs(Integer e) {
        return new TrainingSpec(model, loss, optimizer, schedule, scheduleUnit, e, batchSize, seed, data,
                validationSplit, trainer);
    }

    public TrainingSpec withSeed(Long s) {
        return new TrainingSpec(model, loss, optimizer, schedule, scheduleUnit, epochs, batchSize, s, data,
                validationSplit, trainer);
    }

    public TrainingSpec withValidationSplit(Double v) {
        return new TrainingSpec(model, loss, optimizer, schedule, scheduleUnit, epochs, batchSize, seed, data, v,
                trainer);
    }

    /** Whether a validation split is held out. */
    public boolean validates() {
        return validationSplit != null && validationSplit > 0;
    }
}

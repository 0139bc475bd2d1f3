package dev.dendrite.kernel.elm;

import dev.dendrite.nn.Sequential;
import dev.dendrite.spi.BaseProvider;
import dev.dendrite.tensor.DendriteException;
import dev.dendrite.train.Evaluation;
import dev.dendrite.train.TrainerStrategy;
import dev.dendrite.train.TrainerStrategyProvider;
import dev.dendrite.train.TrainingRun;

/**
 * {@link RidgeReadout} as a spec's trainer: {@code "trainer": {"type": "ridge_readout", "config": {"ridge": 10}}}
 * fits the last (linear) layer of a sequential model in closed form on the whole training set, in batches of
 * the spec's {@code batchSize}; every other layer keeps its initialisation. One epoch is the whole fit (a second
 * would solve the same system again). No optimizer is needed.
 */
public final class RidgeReadoutTrainer implements TrainerStrategy {
    public static final String ID = "ridge_readout";
    private final Config config;

    /** @param ridge λ of (HᵀH + λI)·β = HᵀT */
    public record Config(double ridge) {}

    public RidgeReadoutTrainer(Config config) {
        this.config = config;
    }

    @Override
    public double fitEpoch(TrainingRun run, int epoch) {
        if (!(run.model().layer() instanceof Sequential net)) {
            throw new DendriteException(ID + ": the model must be a sequential whose last layer is linear, got a '"
                    + run.model().layer().kind() + "'");
        }
        new RidgeReadout(config.ridge(), run.spec().batchSize()).fit(net, run.train().dataset());
        return Evaluation.evaluate(net, run.loss(), run.train().dataset()).loss();
    }

    public static final class Provider extends BaseProvider<Config> implements TrainerStrategyProvider<Config> {
        public Provider() {
            super(ID, Config.class, new Config(1.0));
        }

        @Override
        public TrainerStrategy create(Config config) {
            new RidgeReadout(config.ridge(), 1); // checks the ridge now, not at the first epoch
            return new RidgeReadoutTrainer(config);
        }
    }
}

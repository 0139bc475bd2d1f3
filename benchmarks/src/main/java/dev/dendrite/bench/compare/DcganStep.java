package dev.dendrite.bench.compare;

import com.google.inject.Guice;
import com.google.inject.Injector;
import dev.dendrite.data.ArrayDataset;
import dev.dendrite.gan.GanRun;
import dev.dendrite.gan.GanRuns;
import dev.dendrite.gan.GanSpec;
import dev.dendrite.gan.GanTrainer;
import dev.dendrite.inject.DendriteModule;
import dev.dendrite.inject.Registries;
import dev.dendrite.inject.Settings;
import dev.dendrite.nn.LayerContext;
import dev.dendrite.reference.gan.Dcgan;
import dev.dendrite.tensor.Tensor;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@code dcgan_train_b64}: one iteration of the {@code dcgan} reproduction's training (Dcgan's generator and
 * discriminator at its width, Adam 2e-4 β1 0.5, non-saturating loss): a discriminator step on a real batch and
 * a generated one, then a generator step reusing the generated batch, as {@link GanTrainer} and PyTorch's
 * DCGAN example both do. Real images: a fixed random batch in [−1, 1]. torch_worker.py builds the same.
 */
final class DcganStep {
    private DcganStep() {}

    static Runnable of(int batch, long seed, boolean compiled) {
        GanSpec spec = Dcgan.spec(Dcgan.WIDTH, 1, batch, seed);
        Injector i = Guice.createInjector(new DendriteModule(Settings.defaults().withSeed(seed)));
        Nd4j.getRandom().setSeed(seed);
        Tensor real = Tensor.of(Nd4j.rand(DataType.FLOAT, batch, 1, 28, 28).muli(2).subi(1));
        GanRun run = GanRuns.fresh(spec, i.getInstance(LayerContext.class), i.getInstance(Registries.class),
                new ArrayDataset(real.data(), Nd4j.zeros(batch), "random images"));
        run.generator().train(true);
        run.discriminator().train(true);
        GanTrainer.Steps steps = new GanTrainer.Steps(run, compiled);
        return () -> GanTrainer.step(steps, real.data());
    }
}

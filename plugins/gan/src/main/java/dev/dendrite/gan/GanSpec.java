package dev.dendrite.gan;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.dendrite.nn.ComponentSpec;
import dev.dendrite.nn.LayerSpec;
import dev.dendrite.tensor.DendriteException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A GAN run as data: what every GAN checkpoint stores, so a checkpoint alone rebuilds and resumes the run.
 *
 * @param noise the shape of one noise vector z ~ N(0, I), e.g. {@code [100]} or {@code [100, 1, 1]} for a
 *     generator that starts with a transposed convolution
 * @param loss a {@link GanLossProvider} id and config; default {@code non_saturating}
 * @param labelSmoothing one-sided: real examples' target becomes 1 − labelSmoothing (Salimans et al. 2016 use
 *     0.1); default 0
 * @param discriminatorSteps discriminator steps (each on a new real batch) per round; default 1
 * @param generatorSteps generator steps per round, after the discriminator's; default 1
 * @param initStd when set, every weight of rank ≥ 2 is redrawn from N(0, initStd), every rank-1 weight (a
 *     normalisation's scale) from N(1, initStd) and every bias is zeroed, as DCGAN does with 0.02; unset keeps
 *     each layer's own initialisation
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record GanSpec(LayerSpec generator, LayerSpec discriminator, long[] noise, ComponentSpec loss,
        Double labelSmoothing, Integer discriminatorSteps, Integer generatorSteps, ComponentSpec generatorOptimizer,
        ComponentSpec discriminatorOptimizer, Double initStd, Integer epochs, Integer batchSize, Long seed,
        String data) {

    public static final long DEFAULT_SEED = 42;

    public GanSpec {
        List<String> missing = new ArrayList<>();
        if (generator == null) {
            missing.add("\"generator\"");
        }
        if (discriminator == null) {
            missing.add("\"discriminator\"");
        }
        if (noise == null) {
            missing.add("\"noise\"");
        }
        if (generatorOptimizer == null) {
            missing.add("\"generatorOptimizer\"");
        }
        if (discriminatorOptimizer == null) {
            missing.add("\"discriminatorOptimizer\"");
        }
        if (epochs == null) {
            missing.add("\"epochs\"");
        }
        if (batchSize == null) {
            missing.add("\"batchSize\"");
        }
        if (!missing.isEmpty()) {
            throw new DendriteException("a GAN spec needs " + String.join(", ", missing));
        }
        loss = loss == null ? new ComponentSpec(GanLosses.NonSaturating.ID, null) : loss;
        labelSmoothing = labelSmoothing == null ? 0.0 : labelSmoothing;
        discriminatorSteps = discriminatorSteps == null ? 1 : discriminatorSteps;
        generatorSteps = generatorSteps == null ? 1 : generatorSteps;
        seed = seed == null ? DEFAULT_SEED : seed;
        if (noise.length == 0 || Arrays.stream(noise).anyMatch(d -> d <= 0)) {
            throw new DendriteException("noise must be a shape of positive sizes, got " + Arrays.toString(noise));
        }
        if (!(labelSmoothing >= 0 && labelSmoothing < 1)) {
            throw new DendriteException("labelSmoothing must be in [0, 1), got " + labelSmoothing);
        }
        if (discriminatorSteps < 1 || generatorSteps < 1) {
            throw new DendriteException("discriminatorSteps and generatorSteps must be at least 1, got "
                    + discriminatorSteps + " and " + generatorSteps);
        }
        if (epochs <= 0 || batchSize <= 0) {
            throw new DendriteException("epochs and batchSize must be positive, got epochs=" + epochs + ", batchSize="
                    + batchSize);
        }
        if (initStd != null && !(initStd > 0)) {
            throw new DendriteException("initStd must be positive when given, got " + initStd);
        }
    }

    public GanSpec withEpochs(int e) {
        return new GanSpec(generator, discriminator, noise, loss, labelSmoothing, discriminatorSteps, generatorSteps,
                generatorOptimizer, discriminatorOptimizer, initStd, e, batchSize, seed, data);
    }

    public GanSpec withSeed(long s) {
        return new GanSpec(generator, discriminator, noise, loss, labelSmoothing, discriminatorSteps, generatorSteps,
                generatorOptimizer, discriminatorOptimizer, initStd, epochs, batchSize, s, data);
    }

    /** The target real examples are pushed towards. */
    public double realTarget() {
        return 1 - labelSmoothing;
    }

    /** The noise tensor's shape for {@code n} examples. */
    public long[] noiseShape(long n) {
        long[] shape = new long[noise.length + 1];
        shape[0] = n;
        System.arraycopy(noise, 0, shape, 1, noise.length);
        return shape;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GanSpec s && generator.equals(s.generator) && discriminator.equals(s.discriminator)
                && Arrays.equals(noise, s.noise) && loss.equals(s.loss) && labelSmoothing.equals(s.labelSmoothing)
                && discriminatorSteps.equals(s.discriminatorSteps) && generatorSteps.equals(s.generatorSteps)
                && generatorOptimizer.equals(s.generatorOptimizer)
                && discriminatorOptimizer.equals(s.discriminatorOptimizer)
                && java.util.Objects.equals(initStd, s.initStd) && epochs.equals(s.epochs)
                && batchSize.equals(s.batchSize) && seed.equals(s.seed) && java.util.Objects.equals(data, s.data);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(generator, discriminator, Arrays.hashCode(noise), loss, epochs, batchSize, seed);
    }

    @Override
    public String toString() {
        return dev.dendrite.spi.Json.write(this);
    }
}

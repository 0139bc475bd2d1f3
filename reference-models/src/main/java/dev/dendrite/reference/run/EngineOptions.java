package dev.dendrite.reference.run;

import dev.dendrite.inject.Settings;

/**
 * How the engine runs a command's training: compiled steps (the default) or eagerly ({@code --eager}), and
 * whether to print each compiled step's plan at the end ({@code --explain-plan}).
 */
public record EngineOptions(boolean compiled, boolean explainPlan) {
    public static final EngineOptions DEFAULT = new EngineOptions(true, false);

    /** The run's settings for this seed. */
    public Settings settings(long seed) {
        return Settings.defaults().withSeed(seed).withCompiled(compiled);
    }
}

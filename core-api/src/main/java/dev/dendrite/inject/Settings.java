package dev.dendrite.inject;

import org.nd4j.linalg.api.buffer.DataType;

/**
 * The run-wide choices the composition root binds: backend, parameter dtype, seed, and whether training and
 * evaluation steps are compiled ({@link dev.dendrite.tensor.CompiledStep}; {@code --eager} turns it off).
 */
public record Settings(Backend backend, DataType dtype, long seed, boolean compiled) {
    public Settings(Backend backend, DataType dtype, long seed) {
        this(backend, dtype, seed, true);
    }

    public static Settings defaults() {
        return new Settings(Backend.CPU, DataType.FLOAT, 42L);
    }

    public Settings withSeed(long newSeed) {
        return new Settings(backend, dtype, newSeed, compiled);
    }

    public Settings withDtype(DataType newDtype) {
        return new Settings(backend, newDtype, seed, compiled);
    }

    public Settings withCompiled(boolean on) {
        return new Settings(backend, dtype, seed, on);
    }
}

package dev.dendrite.inject;

import org.nd4j.linalg.api.buffer.DataType;

/** The run-wide choices the composition root binds: backend, parameter dtype, seed. */
public record Settings(Backend backend, DataType dtype, long seed) {
    public static Settings defaults() {
        return new Settings(Backend.CPU, DataType.FLOAT, 42L);
    }

    public Settings withSeed(long newSeed) {
        return new Settings(backend, dtype, newSeed);
    }

    public Settings withDtype(DataType newDtype) {
        return new Settings(backend, newDtype, seed);
    }
}

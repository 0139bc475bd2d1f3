package dev.dendrite.inject;

import dev.dendrite.tensor.DendriteException;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The compute backend. ND4J picks its backend from the classpath (the default build bundles the CPU
 * one; {@code mvn -Pcuda} the CUDA one), so this binding verifies that the one asked for is the one
 * loaded, instead of silently running somewhere else.
 */
public enum Backend {
    CPU("CpuBackend"),
    CUDA("JCublasBackend");

    private final String nd4jClass;

    Backend(String nd4jClass) {
        this.nd4jClass = nd4jClass;
    }

    /** The backend ND4J actually loaded. */
    public static String loaded() {
        return Nd4j.getBackend().getClass().getSimpleName();
    }

    public void verify() {
        String actual = loaded();
        if (!actual.equals(nd4jClass)) {
            throw new DendriteException("backend " + this + " was requested but ND4J loaded " + actual
                    + (this == CUDA ? "; build with 'mvn -Pcuda' to bundle the CUDA 11.6 backend" : ""));
        }
    }
}

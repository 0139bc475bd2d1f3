package dev.dendrite.basic.optim;

import dev.dendrite.tensor.DendriteException;

/**
 * Config validation shared by the optimizer and schedule providers. Every message names the owner
 * (the provider id) and the record field, so a bad JSON spec points straight at the culprit. NaN fails
 * every check because each test is written as "value is in range", which NaN never is.
 */
final class Check {
    private Check() {}

    static DendriteException error(String owner, String field, String rule, Object got) {
        return new DendriteException(owner + ": " + field + " must be " + rule + ", got " + got);
    }

    /** {@code 0 <= v < infinity}. */
    static void nonNegative(String owner, String field, double v) {
        if (!(v >= 0) || Double.isInfinite(v)) {
            throw error(owner, field, ">= 0 and finite", v);
        }
    }

    /** {@code 0 < v < infinity}. */
    static void positive(String owner, String field, double v) {
        if (!(v > 0) || Double.isInfinite(v)) {
            throw error(owner, field, "> 0 and finite", v);
        }
    }

    /** {@code 0 <= v < 1}: an exponential-average decay that still forgets. */
    static void unitInterval(String owner, String field, double v) {
        if (!(v >= 0 && v < 1)) {
            throw error(owner, field, "in [0, 1)", v);
        }
    }

    /** {@code 0 <= v <= 1}. */
    static void closedUnitInterval(String owner, String field, double v) {
        if (!(v >= 0 && v <= 1)) {
            throw error(owner, field, "in [0, 1]", v);
        }
    }

    /** A finite number of any sign. */
    static void finite(String owner, String field, double v) {
        if (!Double.isFinite(v)) {
            throw error(owner, field, "finite", v);
        }
    }

    /** An integer count {@code >= min}. */
    static void atLeast(String owner, String field, long v, long min) {
        if (v < min) {
            throw error(owner, field, ">= " + min, v);
        }
    }
}

package dev.dendrite.tensor;

/** Root of every error Dendrite raises on purpose: bad input is a Java exception, never a native crash. */
public class DendriteException extends RuntimeException {
    public DendriteException(String message) {
        super(message);
    }

    public DendriteException(String message, Throwable cause) {
        super(message, cause);
    }
}

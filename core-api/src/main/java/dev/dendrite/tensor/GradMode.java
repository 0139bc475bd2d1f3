package dev.dendrite.tensor;

/**
 * Whether operations record the graph for backward. On by default; {@link #off()} opens a no-grad scope
 * for inference and for the optimizer's own arithmetic.
 *
 * <p>This is per thread, like PyTorch's grad mode: a flag that travels with the call stack, not global
 * state shared between threads, so a data-loading thread never turns recording off for the trainer.
 */
public final class GradMode {
    private static final ThreadLocal<Boolean> ENABLED = ThreadLocal.withInitial(() -> Boolean.TRUE);

    private GradMode() {}

    public static boolean isEnabled() {
        return ENABLED.get();
    }

    /** {@code try (var s = GradMode.off()) { ... }}: nothing inside records a graph. */
    public static Scope off() {
        return set(false);
    }

    public static Scope on() {
        return set(true);
    }

    private static Scope set(boolean enabled) {
        boolean previous = ENABLED.get();
        ENABLED.set(enabled);
        return () -> ENABLED.set(previous);
    }

    /** A scope that restores the previous mode when closed. */
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }
}

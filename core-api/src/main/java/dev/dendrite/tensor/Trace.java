package dev.dendrite.tensor;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Records every primitive a forward pass applies, in order, whether or not it needs a gradient: the
 * ONNX exporter replays the record through each primitive's {@link Function#toOnnx}. Per thread, like
 * {@link GradMode}; costs one thread-local read per primitive when no trace is open.
 *
 * <pre>{@code try (Trace trace = Trace.start()) { Tensor y = model.forward(x); ... trace.steps() ... }}</pre>
 */
public final class Trace implements AutoCloseable {
    private static final ThreadLocal<Trace> CURRENT = new ThreadLocal<>();

    /** One primitive application: the function object (which remembers its resolved attributes) and its values. */
    public record Step(Function function, Tensor[] inputs, Tensor[] outputs) {}

    private final List<Step> steps = new ArrayList<>();
    private final Trace previous;

    private Trace(Trace previous) {
        this.previous = previous;
    }

    public static Trace start() {
        Trace t = new Trace(CURRENT.get());
        CURRENT.set(t);
        return t;
    }

    /**
     * Whether a trace is open on this thread: work that would skip primitives whose results it already knows runs
     * them, so that the trace sees them.
     */
    public static boolean active() {
        return CURRENT.get() != null;
    }

    static void record(Function f, Tensor[] inputs, Tensor[] outputs) {
        Trace t = CURRENT.get();
        if (t != null) {
            t.steps.add(new Step(f, inputs.clone(), outputs.clone()));
        }
    }

    public List<Step> steps() {
        return Collections.unmodifiableList(steps);
    }

    @Override
    public void close() {
        CURRENT.set(previous);
    }
}

package dev.dendrite.rnn.onnx;

import dev.dendrite.tensor.Trace;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.Supplier;

/** Which primitives a computation applied, by simple class name: how the tests see which converter ran. */
final class Primitives {
    private Primitives() {}

    static Set<String> of(Supplier<?> computation) {
        try (Trace trace = Trace.start()) {
            computation.get();
            Set<String> names = new LinkedHashSet<>();
            trace.steps().forEach(s -> names.add(s.function().getClass().getSimpleName()));
            return names;
        }
    }
}

package dev.dendrite.basic.loss;

import com.fasterxml.jackson.annotation.JsonValue;
import dev.dendrite.ops.F;
import dev.dendrite.tensor.Tensor;

/** How per-element (or per-sample) losses become the scalar: their mean (the default) or their sum. */
public enum Reduction {
    MEAN("mean"),
    SUM("sum");

    private final String json;

    Reduction(String json) {
        this.json = json;
    }

    @JsonValue
    public String json() {
        return json;
    }

    Tensor reduce(Tensor perElement) {
        return this == MEAN ? F.mean(perElement, false) : F.sum(perElement, false);
    }
}

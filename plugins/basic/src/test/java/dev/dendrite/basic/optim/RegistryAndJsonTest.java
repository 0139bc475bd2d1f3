package dev.dendrite.basic.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dendrite.optim.LrScheduleProvider;
import dev.dendrite.optim.OptimizerProvider;
import dev.dendrite.spi.Json;
import dev.dendrite.spi.Registry;
import dev.dendrite.tensor.DendriteException;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The providers are found through {@code META-INF/services}, and their configs read camelCase JSON. */
class RegistryAndJsonTest {
    @Test
    void optimizerRegistryHasAllFive() {
        var registry = Registry.load("optimizer", OptimizerProvider.class, getClass().getClassLoader());
        for (String id : Set.of("sgd", "adam", "adamw", "rmsprop", "adagrad")) {
            assertTrue(registry.contains(id), id);
            assertEquals(id, registry.get(id).id());
        }
    }

    @Test
    void scheduleRegistryHasAllFive() {
        var registry = Registry.load("lr schedule", LrScheduleProvider.class, getClass().getClassLoader());
        for (String id : Set.of("step", "exponential", "cosine", "warmup", "warmup_cosine", "cyclical")) {
            assertTrue(registry.contains(id), id);
            assertEquals(id, registry.get(id).id());
        }
    }

    private static JsonNode json(String text) {
        return Json.read(text, JsonNode.class);
    }

    @Test
    void overridesLayOverPyTorchDefaults() {
        SgdProvider.Config sgd = Json.config(new SgdProvider(),
                json("{\"momentum\": 0.9, \"nesterov\": true, \"weightDecay\": 5e-4}"));
        assertEquals(new SgdProvider.Config(1e-3, 0.9, 0, true, 5e-4), sgd);

        AdamWProvider.Config adamw = Json.config(new AdamWProvider(), json("{\"lr\": 3e-4, \"amsgrad\": true}"));
        assertEquals(new AdamWProvider.Config(3e-4, 0.9, 0.999, 1e-8, 0.01, true), adamw);

        AdagradProvider.Config adagrad = Json.config(new AdagradProvider(),
                json("{\"lrDecay\": 0.1, \"initialAccumulatorValue\": 0.5}"));
        assertEquals(new AdagradProvider.Config(1e-2, 0.1, 0, 0.5, 1e-10), adagrad);

        CosineLrProvider.Config cosine = Json.config(new CosineLrProvider(), json("{\"tMax\": 8, \"etaMin\": 0.01}"));
        assertEquals(new CosineLrProvider.Config(8, 0.01), cosine);

        CyclicalLrProvider.Config cyclical = Json.config(new CyclicalLrProvider(),
                json("{\"mode\": \"exp_range\", \"gamma\": 0.99, \"stepSize\": 4}"));
        assertEquals(new CyclicalLrProvider.Config(1e-3, 6e-3, 4, "exp_range", 0.99), cyclical);
    }

    @Test
    void configRoundTripsThroughJson() {
        RmsPropProvider.Config c = new RmsPropProvider.Config(0.02, 0.9, 1e-6, 0.1, 0.5, true);
        assertEquals(c, Json.config(new RmsPropProvider(), Json.toTree(c)));
        WarmupLrProvider.Config w = new WarmupLrProvider.Config(100, 0.1);
        assertEquals(w, Json.config(new WarmupLrProvider(), Json.toTree(w)));
    }

    @Test
    void snakeCaseFieldIsRejected() {
        DendriteException e = assertThrows(DendriteException.class,
                () -> Json.config(new AdamProvider(), json("{\"weight_decay\": 0.1}")));
        assertTrue(e.getMessage().contains("weight_decay"), e.getMessage());
    }
}

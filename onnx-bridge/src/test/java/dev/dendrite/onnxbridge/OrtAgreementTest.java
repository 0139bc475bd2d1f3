package dev.dendrite.onnxbridge;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dendrite.nn.Module;
import dev.dendrite.ops.F;
import dev.dendrite.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

/** The kit's ONNX step refuses a NaN anywhere in the output, even where both runtimes agree on it. */
class OrtAgreementTest {
    private static Module log() {
        return new Module("log_for_test") {
            @Override
            protected Tensor call(Tensor input) {
                return F.log(input);
            }
        };
    }

    @Test
    void agreesOnFiniteOutputs() {
        double worst = new OrtAgreement().check(log(), Tensor.of(Nd4j.createFromArray(new float[][] {{1, 2, 3}})));
        assertTrue(worst <= OrtAgreement.TOLERANCE, "worst " + worst);
    }

    @Test
    void aNanInTheMiddleOfTheOutputFails() {
        // log(-1) is NaN in Dendrite and in ONNX Runtime alike; max |a − e| by amaxNumber() skipped it and passed.
        AssertionError e = assertThrows(AssertionError.class, () -> new OrtAgreement().check(log(),
                Tensor.of(Nd4j.createFromArray(new float[][] {{1, -1, 2}}))));
        assertTrue(e.getMessage().contains("non-finite value NaN at flat index 1"), e.getMessage());
    }
}

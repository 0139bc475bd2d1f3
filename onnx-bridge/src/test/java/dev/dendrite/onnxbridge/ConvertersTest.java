package dev.dendrite.onnxbridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.dendrite.onnx.OnnxConverter;
import dev.dendrite.onnx.OnnxOp;
import dev.dendrite.tensor.DendriteException;
import dev.dendrite.tensor.Tensor;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** How the importer picks among several converters of one op: by priority, skipping those that decline the node. */
class ConvertersTest {
    /** A converter of {@code Scan} (any op will do) that accepts only nodes whose "mode" is {@code wanted}. */
    private record Fake(int priority, String wanted) implements OnnxConverter {
        @Override
        public Set<String> opTypes() {
            return Set.of("Scan");
        }

        @Override
        public boolean accepts(OnnxOp op, boolean[] inputPresent) {
            return wanted == null || wanted.equals(op.attributes().get("mode"))
                    && (inputPresent.length < 2 || !inputPresent[1]);
        }

        @Override
        public Tensor[] convert(OnnxOp op, Tensor[] inputs) {
            throw new UnsupportedOperationException();
        }
    }

    private static OnnxOp node(String mode) {
        return new OnnxOp("Scan", "", "n", 17, Map.of("mode", mode), 1, false);
    }

    @Test
    void aSpecialisedConverterWinsWhereItAcceptsAndTheGeneralOneRunsTheRest() {
        Fake general = new Fake(0, null);
        Fake fused = new Fake(10, "fast");
        Converters cs = Converters.of(List.of(general, fused));
        assertSame(fused, cs.find(node("fast"), new boolean[] {true}));
        assertSame(general, cs.find(node("slow"), new boolean[] {true}));
        // An optional input the fused form does not cover sends the node to the general converter too.
        assertSame(general, cs.find(node("fast"), new boolean[] {true, true}));
        assertSame(fused, cs.find("", "Scan"));
    }

    @Test
    void noConverterAcceptingTheNodeMeansUnsupported() {
        Converters cs = Converters.of(List.of(new Fake(10, "fast")));
        assertNull(cs.find(node("slow"), new boolean[] {true}));
        assertNull(cs.find(new OnnxOp("Loop", "", "n", 17, Map.of(), 1, false), new boolean[0]));
    }

    @Test
    void twoConvertersOfOnePriorityAreRefusedByName() {
        DendriteException e = assertThrows(DendriteException.class,
                () -> Converters.of(List.of(new Fake(3, null), new Fake(3, "fast"))));
        assertEquals("ONNX op ai.onnx::Scan has two converters of priority 3: " + Fake.class.getName() + " and "
                + Fake.class.getName(), e.getMessage());
    }
}

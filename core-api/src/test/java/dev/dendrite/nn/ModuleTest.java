package dev.dendrite.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dendrite.ops.F;
import dev.dendrite.tensor.ShapeException;
import dev.dendrite.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

class ModuleTest {

    /** y = x·W, W [in, out]: the smallest layer with a parameter and a shape rule. */
    static final class Linear extends Module {
        private final Tensor w;

        Linear(long in, long out) {
            super("linear");
            w = parameter("weight", Nd4j.ones(DataType.DOUBLE, in, out));
        }

        @Override
        protected Tensor call(Tensor x) {
            return F.matmul(x, w);
        }
    }

    static final class Block extends Module {
        private final Linear a;
        private final Linear b;

        Block() {
            super("block");
            a = child("fc1", new Linear(3, 4));
            b = child("fc2", new Linear(4, 2));
            buffer("calls", Nd4j.zeros(DataType.DOUBLE, 1));
        }

        @Override
        protected Tensor call(Tensor x) {
            return b.forward(F.relu(a.forward(x)));
        }
    }

    static final class Net extends Module {
        private final Block block;

        Net() {
            super("net");
            block = child("block1", new Block());
        }

        @Override
        protected Tensor call(Tensor x) {
            return block.forward(x);
        }
    }

    @Test
    void parametersAndBuffersHaveHierarchicalNamesInRegistrationOrder() {
        Net net = new Net();
        assertEquals(List.of("block1.fc1.weight", "block1.fc2.weight"), List.copyOf(net.parameters().keySet()));
        assertEquals(List.of("block1.calls"), List.copyOf(net.buffers().keySet()));
        assertEquals(12 + 8, Parameters.count(net));
    }

    @Test
    void aShapeErrorNamesTheInnermostLayerByItsPath() {
        Net net = new Net();
        ShapeException e = assertThrows(ShapeException.class,
                () -> net.forward(Tensor.of(Nd4j.ones(DataType.DOUBLE, 2, 5))));
        assertTrue(e.getMessage().startsWith("layer 'block1.fc1' (linear): matmul: inner dimensions differ: [2, 5] x [3, 4]"),
                e.getMessage());
    }

    @Test
    void aLayerAttachedAfterItsChildrenRenamesThemToo() {
        Block b = new Block();
        assertEquals("block", b.path());
        Net outer = new Net();
        assertEquals("block1", ((Module) outer.children().get("block1")).path());
    }

    @Test
    void trainModeReachesEveryChild() {
        Net net = new Net();
        net.train(false);
        net.parameters();
        assertTrue(!((Module) ((Module) net.children().get("block1")).children().get("fc2")).isTraining());
    }

    @Test
    void sequentialNamesChildrenByPositionOrGivenName() {
        Sequential s = new Sequential(List.of(new Linear(3, 4), new Linear(4, 1)), java.util.Arrays.asList(null, "head"));
        assertEquals(List.of("0.weight", "head.weight"), List.copyOf(s.parameters().keySet()));
        Tensor y = s.forward(Tensor.of(Nd4j.ones(DataType.DOUBLE, 2, 3)));
        assertEquals(12.0, y.data().getDouble(0), 0.0);
    }

    @Test
    void aMultiInputCallOnASingleInputLayerIsRefused() {
        ShapeException e = assertThrows(ShapeException.class, () -> new Linear(1, 1).forward(
                Tensor.of(Nd4j.ones(1, 1)), Tensor.of(Nd4j.ones(1, 1))));
        assertEquals("layer 'linear' (linear): expected 1 input, got 2", e.getMessage());
    }

    @Test
    void duplicateOrDottedNamesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Module("bad") {
            {
                parameter("w", Nd4j.ones(1));
                parameter("w", Nd4j.ones(1));
            }
        });
        assertThrows(IllegalArgumentException.class, () -> new Module("bad") {
            {
                parameter("a.b", Nd4j.ones(1));
            }
        });
    }
}

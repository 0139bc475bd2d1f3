package dev.dendrite.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dendrite.inject.Registries;
import dev.dendrite.io.NpyArchive;
import dev.dendrite.random.Rng;
import dev.dendrite.spi.Json;
import dev.dendrite.tensor.DendriteException;
import dev.dendrite.testkit.Compare;
import java.io.ByteArrayInputStream;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class SpecAndParametersTest {
    private final LayerContext ctx = new LayerContext(DataType.FLOAT, new Rng(1),
            Registries.discover(getClass().getClassLoader()).layers());

    @Test
    void anUnknownLayerTypeListsTheKnownIds() {
        DendriteException e = assertThrows(DendriteException.class,
                () -> ctx.build(Json.read("{\"type\": \"conv9d\"}", LayerSpec.class)));
        // planted_for_kit_test: the testkit's own test layer, registered in src/test/resources.
        assertEquals("unknown layer 'conv9d'; known layer ids: planted_for_kit_test, sequential", e.getMessage());
    }

    @Test
    void anUnknownConfigFieldIsNamed() {
        DendriteException e = assertThrows(DendriteException.class, () -> ctx.build(Json.read(
                "{\"type\": \"sequential\", \"config\": {\"layerz\": []}}", LayerSpec.class)));
        assertTrue(e.getMessage().startsWith("invalid config for 'sequential'") && e.getMessage().contains("layerz"),
                e.getMessage());
    }

    @Test
    void aSpecWithoutTypeIsRefused() {
        DendriteException e = assertThrows(DendriteException.class,
                () -> ctx.build(Json.read("{\"config\": {}}", LayerSpec.class)));
        assertTrue(e.getMessage().startsWith("layer spec without a \"type\""), e.getMessage());
    }

    @Test
    void parametersRoundTripThroughNpyAndRefuseMismatches() {
        ModuleTest.Net a = new ModuleTest.Net();
        a.parameters().get("block1.fc1.weight").data().assign(Nd4j.rand(DataType.DOUBLE, 3, 4));
        byte[] saved = NpyArchive.toBytes(Parameters.snapshot(a));
        ModuleTest.Net b = new ModuleTest.Net();
        Map<String, INDArray> read = NpyArchive.read(new ByteArrayInputStream(saved), "net.zip");
        Parameters.load(b, read, "net.zip");
        Compare.assertBitEqual("block1.fc1.weight", b.parameters().get("block1.fc1.weight").data(),
                a.parameters().get("block1.fc1.weight").data());

        read.remove("block1.calls");
        read.put("block1.extra", Nd4j.ones(1));
        DendriteException names = assertThrows(DendriteException.class, () -> Parameters.load(b, read, "net.zip"));
        assertEquals("net.zip: parameters do not match the model: missing [block1.calls], unexpected [block1.extra]",
                names.getMessage());

        Map<String, INDArray> wrong = Parameters.snapshot(a);
        wrong.put("block1.fc2.weight", Nd4j.ones(DataType.DOUBLE, 2, 4));
        DendriteException shape = assertThrows(DendriteException.class, () -> Parameters.load(b, wrong, "net.zip"));
        assertEquals("net.zip: parameter 'block1.fc2.weight' has shape [2, 4], the model expects [4, 2]",
                shape.getMessage());
    }

    @Test
    void aDamagedNpyEntryIsNamed() {
        byte[] junk = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11};
        DendriteException e = assertThrows(DendriteException.class, () -> NpyArchive.parse(junk, "ck.zip", "fc.weight.npy"));
        assertEquals("ck.zip: entry 'fc.weight.npy' is not a .npy array (bad magic)", e.getMessage());
    }
}

package dev.dendrite.inject;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.ProvisionException;
import com.google.inject.util.Modules;
import dev.dendrite.nn.LayerContext;
import dev.dendrite.random.Rng;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

class DendriteModuleTest {

    @Test
    void bindsSettingsIntoTheLayerContext() {
        Injector i = Guice.createInjector(new DendriteModule(new Settings(Backend.CPU, DataType.DOUBLE, 9)));
        LayerContext ctx = i.getInstance(LayerContext.class);
        assertEquals(DataType.DOUBLE, ctx.dtype());
        assertSame(i.getInstance(Rng.class), ctx.rng(), "one random stream per run");
        assertEquals(new Rng(9).nextLong(), new Rng(i.getInstance(Rng.class).state()).nextLong());
        assertTrue(ctx.layers().contains("sequential"));
    }

    @Test
    void askingForCudaOnTheCpuBuildFailsWithTheFix() {
        Injector i = Guice.createInjector(new DendriteModule(new Settings(Backend.CUDA, DataType.FLOAT, 1)));
        ProvisionException e = assertThrows(ProvisionException.class, () -> i.getInstance(LayerContext.class));
        assertTrue(e.getMessage().contains("backend CUDA was requested but ND4J loaded CpuBackend; build with "
                + "'mvn -Pcuda'"), e.getMessage());
    }

    @Test
    void aUserModuleOverridesABinding() {
        Injector i = Guice.createInjector(Modules.override(new DendriteModule(Settings.defaults()))
                .with(new AbstractModule() {
                    @Override
                    protected void configure() {
                        bind(Rng.class).toInstance(new Rng(123));
                    }
                }));
        assertEquals(123, i.getInstance(LayerContext.class).rng().state());
    }
}

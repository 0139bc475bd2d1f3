package dev.dendrite.inject;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import dev.dendrite.nn.LayerContext;
import dev.dendrite.random.Rng;
import dev.dendrite.spi.PluginJars;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The composition root: backend, dtype, seed and the provider registries. Override any binding with
 * {@code Modules.override(new DendriteModule(...)).with(yourModule)}; layers themselves are built with
 * plain constructors from what this module provides.
 */
public class DendriteModule extends AbstractModule {
    private final Settings settings;
    private final ClassLoader pluginLoader;

    /** Providers are looked up on {@link PluginJars#defaultLoader()}: built-ins plus any dropped jars. */
    public DendriteModule(Settings settings) {
        this(settings, PluginJars.defaultLoader());
    }

    /** {@code pluginLoader}: where ServiceLoader looks for plugins (a class loader over dropped jars). */
    public DendriteModule(Settings settings, ClassLoader pluginLoader) {
        this.settings = settings;
        this.pluginLoader = pluginLoader;
    }

    @Override
    protected void configure() {
        bind(Settings.class).toInstance(settings);
    }

    @Provides
    @Singleton
    Backend backend(Settings s) {
        s.backend().verify();
        return s.backend();
    }

    @Provides
    DataType dtype(Settings s) {
        return s.dtype();
    }

    /** One stream for the run: initialisation, dropout and shuffling draw from it in order. */
    @Provides
    @Singleton
    Rng rng(Settings s) {
        return new Rng(s.seed());
    }

    @Provides
    @Singleton
    Registries registries() {
        return Registries.discover(pluginLoader);
    }

    @Provides
    LayerContext layerContext(Backend backend, DataType dtype, Rng rng, Registries registries) {
        return new LayerContext(dtype, rng, registries.layers());
    }
}

package dev.dendrite.spi;

/**
 * The id, config type and defaults every provider declares, so a provider class only writes
 * {@code create}: {@code public Provider() { super("dense", Config.class, new Config(...)); }}.
 */
public abstract class BaseProvider<C extends Record> implements Provider<C> {
    private final String id;
    private final Class<C> configType;
    private final C defaults;

    protected BaseProvider(String id, Class<C> configType, C defaults) {
        this.id = id;
        this.configType = configType;
        this.defaults = defaults;
    }

    @Override
    public final String id() {
        return id;
    }

    @Override
    public final Class<C> configType() {
        return configType;
    }

    @Override
    public final C defaultConfig() {
        return defaults;
    }
}

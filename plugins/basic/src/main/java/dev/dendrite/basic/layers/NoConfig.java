package dev.dendrite.basic.layers;

/** The config of a layer that has nothing to configure; its JSON is {@code {}}. */
public record NoConfig() {}

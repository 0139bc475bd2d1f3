package dev.dendrite.train;

import com.google.inject.AbstractModule;
import com.google.inject.multibindings.Multibinder;
import java.util.List;

/**
 * Binds the listeners of a run into the {@link Trainer}'s set. Install it beside
 * {@link dev.dendrite.inject.DendriteModule}; a user's own module can add listeners to the same set with
 * {@code Multibinder.newSetBinder(binder(), TrainingListener.class).addBinding()...}.
 */
public final class TrainingModule extends AbstractModule {
    private final List<TrainingListener> listeners;

    public TrainingModule(TrainingListener... listeners) {
        this.listeners = List.of(listeners);
    }

    @Override
    protected void configure() {
        Multibinder<TrainingListener> set = Multibinder.newSetBinder(binder(), TrainingListener.class);
        listeners.forEach(l -> set.addBinding().toInstance(l));
    }
}

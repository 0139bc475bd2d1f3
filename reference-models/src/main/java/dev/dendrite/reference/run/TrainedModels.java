package dev.dendrite.reference.run;

import com.google.inject.Guice;
import dev.dendrite.inject.DendriteModule;
import dev.dendrite.inject.Settings;
import dev.dendrite.nn.Layer;
import dev.dendrite.nn.LayerContext;
import dev.dendrite.nn.Model;
import dev.dendrite.nn.Parameters;
import dev.dendrite.train.Checkpoint;
import java.nio.file.Path;

/** A trained model rebuilt from its checkpoint: the spec's layers with the saved parameters. */
public final class TrainedModels {
    private TrainedModels() {}

    public static Layer load(Checkpoint ck, Path file) {
        LayerContext ctx = Guice.createInjector(new DendriteModule(Settings.defaults().withSeed(ck.spec().seed())))
                .getInstance(LayerContext.class);
        Layer model = Model.build(ck.spec().model(), ctx).layer();
        Parameters.load(model, ck.parameters(), file.toString());
        return model;
    }
}

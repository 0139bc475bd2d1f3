package dev.dendrite.reference.models;

import dev.dendrite.reference.gan.DcganStudy;
import dev.dendrite.reference.generative.DeepAutoencoderStudy;
import dev.dendrite.reference.generative.VaeStudy;
import dev.dendrite.reference.kernel.ElmStudy;
import dev.dendrite.reference.kernel.RbfNetStudy;
import dev.dendrite.reference.kernel.RffStudy;
import dev.dendrite.reference.sequence.CharLstmStudy;
import dev.dendrite.reference.sequence.Seq2SeqStudy;
import dev.dendrite.reference.vit.VitFashion;
import dev.dendrite.tensor.DendriteException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The reproductions {@code dendrite reproduce} knows, by name: single training runs and studies. */
public final class ReferenceModels {
    private static final List<ReferenceModel> ALL = List.of(new LeNet5(), new Mlp(), new VitFashion());
    private static final List<Study> STUDIES = List.of(new RffStudy(), new ElmStudy(), new RbfNetStudy(),
            new DcganStudy(), new DeepAutoencoderStudy(), new VaeStudy(),
            new CharLstmStudy(), new Seq2SeqStudy());

    private ReferenceModels() {}

    /** The training run called {@code name}, if it is one (a study is looked up with {@link #study}). */
    public static ReferenceModel get(String name) {
        return ALL.stream().filter(m -> m.name().equals(name)).findFirst().orElseThrow(() -> unknown(name));
    }

    public static Optional<Study> study(String name) {
        return STUDIES.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    public static List<ReferenceModel> all() {
        return ALL;
    }

    public static List<Study> studies() {
        return STUDIES;
    }

    /** Every name {@code reproduce} accepts, models first. */
    public static List<String> names() {
        List<String> names = new ArrayList<>();
        ALL.forEach(m -> names.add(m.name()));
        STUDIES.forEach(s -> names.add(s.name()));
        return names;
    }

    private static DendriteException unknown(String name) {
        return new DendriteException("unknown model '" + name + "'; known models: " + String.join(", ", names()));
    }
}

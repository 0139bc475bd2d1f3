package dev.dendrite.attention.vit;

import dev.dendrite.nn.Init;
import dev.dendrite.nn.Layer;
import dev.dendrite.nn.LayerContext;
import dev.dendrite.nn.LayerProvider;
import dev.dendrite.nn.Module;
import dev.dendrite.ops.F;
import dev.dendrite.random.Rng;
import dev.dendrite.spi.BaseProvider;
import dev.dendrite.tensor.ShapeException;
import dev.dendrite.tensor.Shapes;
import dev.dendrite.tensor.Tensor;

/**
 * The Vision Transformer's input (Dosovitskiy et al. 2021, "An Image is Worth 16x16 Words", eq. 1):
 * <pre>
 *   z₀ = [x_class; x_p¹·E; x_p²·E; …; x_pᵀ·E] + E_pos
 * </pre>
 * An image [N, C, H, W] is cut into T = (H/P)·(W/P) non-overlapping P×P patches, row by row; each patch,
 * flattened channel-major (C, P, P), is projected linearly to {@code dModel}; a learned class token is put in
 * front (optional: without it, pool the tokens by their mean); a learned position embedding is added; then
 * dropout. Output batch-first [N, T (+1), dModel], what a {@code transformer_encoder_layer} with
 * {@code batchFirst} takes.
 *
 * <p>Parameters as timm's {@code VisionTransformer}, so its state_dict maps one to one: {@code proj.weight}
 * [dModel, C, P, P] (the stride-P convolution timm's {@code PatchEmbed} runs is this same projection),
 * {@code proj.bias} [dModel], {@code cls_token} [1, 1, dModel], {@code pos_embed} [1, T (+1), dModel]. Inits as the
 * paper's code: the projection as PyTorch's Conv2d default U(±1/√(C·P·P)), class token zeros, position
 * embedding N(0, 0.02²).
 */
public final class PatchEmbedding extends Module {
    public static final String ID = "patch_embedding";
    private final Config config;
    private final long gridH;
    private final long gridW;
    private final Tensor weight;
    private final Tensor bias;
    private final Tensor classToken;
    private final Tensor positions;
    private final Rng rng;

    /**
     * @param channels C, height H, width W: the image size, each side a multiple of {@code patchSize}
     * @param classToken whether a learned class token leads the sequence (ViT's; off for mean pooling)
     * @param dropout after adding the position embedding (timm's {@code pos_drop}), in training only
     */
    public record Config(long channels, long height, long width, long patchSize, long dModel, boolean classToken,
            double dropout) {
        /** A square single-channel image, class token on, no dropout. */
        public static Config of(long imageSize, long patchSize, long dModel) {
            return new Config(1, imageSize, imageSize, patchSize, dModel, true, 0);
        }

        public Config withChannels(long c) {
            return new Config(c, height, width, patchSize, dModel, classToken, dropout);
        }

        public Config withClassToken(boolean on) {
            return new Config(channels, height, width, patchSize, dModel, on, dropout);
        }

        public Config withDropout(double p) {
            return new Config(channels, height, width, patchSize, dModel, classToken, p);
        }

        /** T, plus one for the class token. */
        public long sequenceLength() {
            return (height / patchSize) * (width / patchSize) + (classToken ? 1 : 0);
        }
    }

    public PatchEmbedding(Config c, LayerContext ctx) {
        super(ID);
        if (c.channels() <= 0 || c.patchSize() <= 0 || c.dModel() <= 0 || c.height() <= 0 || c.width() <= 0
                || c.height() % c.patchSize() != 0 || c.width() % c.patchSize() != 0) {
            throw new ShapeException(ID + ": channels, dModel and patchSize must be positive and the patch size must "
                    + "divide height and width, got " + c);
        }
        if (!(c.dropout() >= 0 && c.dropout() < 1)) {
            throw new ShapeException(ID + ": dropout must be in [0, 1), got " + c.dropout());
        }
        this.config = c;
        this.gridH = c.height() / c.patchSize();
        this.gridW = c.width() / c.patchSize();
        long p = c.patchSize();
        double bound = 1 / Math.sqrt(c.channels() * p * p);
        Projection proj = child("proj", new Projection(ctx, bound, c.dModel(), c.channels(), p));
        this.weight = proj.weight;
        this.bias = proj.bias;
        this.classToken = c.classToken() ? parameter("cls_token", Init.zeros(ctx.dtype(), 1, 1, c.dModel())) : null;
        this.positions = parameter("pos_embed", Init.normal(ctx.rng(), ctx.dtype(), 0, 0.02, 1, c.sequenceLength(),
                c.dModel()));
        this.rng = ctx.rng();
    }

    @Override
    protected Tensor call(Tensor x) {
        long ch = config.channels();
        long p = config.patchSize();
        if (x.rank() != 4 || x.size(1) != ch || x.size(2) != config.height() || x.size(3) != config.width()) {
            throw new ShapeException("expected an image [N, C, H, W] = [N, " + ch + ", " + config.height() + ", "
                    + config.width() + "], got " + Shapes.str(x.shape()));
        }
        long tokens = gridH * gridW;
        // [N, C, gh, P, gw, P] → [N, gh, gw, C, P, P] → [N·T, C·P·P]: each patch flattened as the conv weight is.
        Tensor patches = F.reshape(F.permute(F.reshape(x, 0, ch, gridH, p, gridW, p), 0, 2, 4, 1, 3, 5),
                -1, ch * p * p);
        // One 2-D GEMM for all patches of the batch: a [N, T, CPP] × [CPP, d] matmul broadcasts the weight over N
        // and ran ~20× slower here. The batch is inferred (-1) on the way back, so the export stays batch-free.
        Tensor z = F.reshape(F.linear(patches, F.reshape(weight, config.dModel(), ch * p * p), bias),
                -1, tokens, config.dModel());
        if (classToken != null) {
            z = PrependToken.apply(z, classToken);
        }
        z = F.add(z, positions);
        return isTraining() && config.dropout() > 0 ? F.dropout(z, config.dropout(), rng.nextLong()) : z;
    }

    /** Holds {@code proj.weight} and {@code proj.bias} under timm's names; the embedding applies them. */
    private static final class Projection extends Module {
        final Tensor weight;
        final Tensor bias;

        Projection(LayerContext ctx, double bound, long dModel, long channels, long p) {
            super("patch_projection");
            weight = parameter("weight", Init.uniform(ctx.rng(), ctx.dtype(), -bound, bound, dModel, channels, p, p));
            bias = parameter("bias", Init.uniform(ctx.rng(), ctx.dtype(), -bound, bound, dModel));
        }
    }

    public static final class Provider extends BaseProvider<Config> implements LayerProvider<Config> {
        public Provider() {
            super(ID, Config.class, Config.of(28, 7, 64));
        }

        @Override
        public Layer create(Config config, LayerContext context) {
            return new PatchEmbedding(config, context);
        }
    }
}

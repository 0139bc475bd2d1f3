package dev.dendrite.attention.vit;

import dev.dendrite.nn.Layer;
import dev.dendrite.nn.LayerContext;
import dev.dendrite.nn.LayerProvider;
import dev.dendrite.nn.Module;
import dev.dendrite.ops.F;
import dev.dendrite.spi.BaseProvider;
import dev.dendrite.tensor.ShapeException;
import dev.dendrite.tensor.Shapes;
import dev.dendrite.tensor.Tensor;

/**
 * A sequence of token vectors to one vector per example, for a classifier head: {@code "cls"} takes the first
 * token (ViT's class token, {@code y = z_L⁰}, Dosovitskiy et al. 2021 eq. 4), {@code "mean"} averages the tokens
 * (global average pooling, the paper's appendix D.3 alternative; timm's {@code global_pool='avg'}).
 * Input [N, T, d] ({@code batchFirst}) or [T, N, d]; output [N, d].
 */
public final class TokenPooling extends Module {
    public static final String ID = "token_pooling";
    private final Config config;
    private final int tokenAxis;

    /** @param pool {@code "cls"} or {@code "mean"} */
    public record Config(String pool, boolean batchFirst) {
        public static Config cls() {
            return new Config("cls", true);
        }

        public static Config mean() {
            return new Config("mean", true);
        }

        public Config withBatchFirst(boolean b) {
            return new Config(pool, b);
        }
    }

    public TokenPooling(Config c, LayerContext ctx) {
        super(ID);
        if (!"cls".equals(c.pool()) && !"mean".equals(c.pool())) {
            throw new ShapeException(ID + ": pool must be \"cls\" or \"mean\", got \"" + c.pool() + "\"");
        }
        this.config = c;
        this.tokenAxis = c.batchFirst() ? 1 : 0;
    }

    @Override
    protected Tensor call(Tensor x) {
        if (x.rank() != 3 || x.size(tokenAxis) == 0) {
            throw new ShapeException("expected tokens " + (config.batchFirst() ? "[N, T, d]" : "[T, N, d]")
                    + " with T >= 1, got " + Shapes.str(x.shape()));
        }
        if (config.pool().equals("mean")) {
            return F.mean(x, false, tokenAxis);
        }
        return F.squeeze(F.slice(x, new long[] {0}, new long[] {1}, new long[] {tokenAxis}, null), tokenAxis);
    }

    public static final class Provider extends BaseProvider<Config> implements LayerProvider<Config> {
        public Provider() {
            super(ID, Config.class, Config.cls());
        }

        @Override
        public Layer create(Config config, LayerContext context) {
            return new TokenPooling(config, context);
        }
    }
}

package dev.dendrite.gan;

import dev.dendrite.io.AtomicFiles;
import dev.dendrite.tensor.DendriteException;
import dev.dendrite.tensor.Shapes;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Grayscale images as one PNG grid, row by row, with a one-pixel gap: for GAN samples, reconstructions beside
 * their originals, VAE samples. Pixel values are mapped from {@code [low, high]} to 0..255 and clipped, so a
 * Tanh generator's [−1, 1] and a decoder's [0, 1] both draw as they are.
 */
public final class ImageGrid {
    private static final int GAP = 1;

    private ImageGrid() {}

    /**
     * @param images [n, 1, h, w], [n, h, w] or [n, h·w] with h = w (a flattened square image)
     * @param columns images per row; the last row may be short
     * @param scale each pixel drawn as scale × scale pixels
     */
    public static void write(Path file, INDArray images, int columns, double low, double high, int scale) {
        long[] s = images.shape();
        long n = s[0];
        long h;
        long w;
        if (s.length == 4 && s[1] == 1) {
            h = s[2];
            w = s[3];
        } else if (s.length == 3) {
            h = s[1];
            w = s[2];
        } else if (s.length == 2 && isSquare(s[1])) {
            h = (long) Math.sqrt(s[1]);
            w = h;
        } else {
            throw new DendriteException("image grid: images must be [n, 1, h, w], [n, h, w] or [n, h*w] with a square"
                    + " number of pixels, got " + Shapes.str(s));
        }
        if (n == 0 || columns < 1 || scale < 1 || !(high > low)) {
            throw new DendriteException("image grid: need at least one image, columns >= 1, scale >= 1 and high > low,"
                    + " got " + n + " images, columns " + columns + ", scale " + scale + ", range [" + low + ", " + high
                    + "]");
        }
        float[] pixels = images.castTo(DataType.FLOAT).dup('c').data().asFloat();
        int cols = (int) Math.min(columns, n);
        int rows = (int) ((n + cols - 1) / cols);
        int tileW = (int) w * scale + GAP;
        int tileH = (int) h * scale + GAP;
        BufferedImage img = new BufferedImage(cols * tileW + GAP, rows * tileH + GAP, BufferedImage.TYPE_BYTE_GRAY);
        var raster = img.getRaster();
        for (int i = 0; i < n; i++) {
            int x0 = GAP + (i % cols) * tileW;
            int y0 = GAP + (i / cols) * tileH;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    float v = pixels[(int) (i * h * w + y * w + x)];
                    int g = (int) Math.round(255 * Math.min(1, Math.max(0, (v - low) / (high - low))));
                    for (int dy = 0; dy < scale; dy++) {
                        for (int dx = 0; dx < scale; dx++) {
                            raster.setSample(x0 + x * scale + dx, y0 + y * scale + dy, 0, g);
                        }
                    }
                }
            }
        }
        try {
            AtomicFiles.write(file, out -> ImageIO.write(img, "png", out));
        } catch (IOException e) {
            throw new DendriteException(file + ": cannot write image grid: " + e.getMessage(), e);
        }
    }

    private static boolean isSquare(long n) {
        long r = (long) Math.sqrt(n);
        return r * r == n;
    }
}

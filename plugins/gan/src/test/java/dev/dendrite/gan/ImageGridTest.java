package dev.dendrite.gan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.dendrite.tensor.DendriteException;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class ImageGridTest {
    @TempDir
    Path dir;

    /** Three 2×2 images in two columns: two rows of tiles, values mapped from [−1, 1] and clipped. */
    @Test
    void drawsTilesRowByRow() throws Exception {
        INDArray images = Nd4j.createFromArray(new float[] {-1, 1, 0, 3, 1, 1, 1, 1, -1, -1, -1, -1})
                .reshape(3, 1, 2, 2);
        Path file = dir.resolve("grid.png");
        ImageGrid.write(file, images, 2, -1, 1, 1);
        BufferedImage img = ImageIO.read(file.toFile());
        assertEquals(2 * 3 + 1, img.getWidth(), "two tiles of 2 pixels + 1 gap each, + the left gap");
        assertEquals(2 * 3 + 1, img.getHeight());
        var r = img.getRaster();
        assertEquals(0, r.getSample(1, 1, 0));
        assertEquals(255, r.getSample(2, 1, 0));
        assertEquals(128, r.getSample(1, 2, 0));
        assertEquals(255, r.getSample(2, 2, 0), "3 clips to white");
        assertEquals(255, r.getSample(4, 1, 0), "second tile");
        assertEquals(0, r.getSample(1, 4, 0), "third tile starts the second row");
    }

    @Test
    void flattenedSquareImagesAndScale() throws Exception {
        Path file = dir.resolve("flat.png");
        ImageGrid.write(file, Nd4j.ones(DataType.FLOAT, 4, 9), 4, 0, 1, 2);
        BufferedImage img = ImageIO.read(file.toFile());
        assertEquals(4 * (3 * 2 + 1) + 1, img.getWidth());
        assertEquals(3 * 2 + 1 + 1, img.getHeight());
    }

    @Test
    void refusesImagesItCannotDraw() {
        DendriteException e = assertThrows(DendriteException.class,
                () -> ImageGrid.write(dir.resolve("x.png"), Nd4j.ones(4, 10), 2, 0, 1, 1));
        assertEquals("image grid: images must be [n, 1, h, w], [n, h, w] or [n, h*w] with a square number of pixels,"
                + " got [4, 10]", e.getMessage());
    }
}

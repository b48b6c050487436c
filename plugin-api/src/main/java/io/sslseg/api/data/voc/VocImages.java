package io.sslseg.api.data.voc;

import io.sslseg.api.data.DataException;
import io.sslseg.api.data.DataFiles;
import io.sslseg.api.data.LabelMask;
import io.sslseg.api.data.RgbImage;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBufferByte;
import java.awt.image.IndexColorModel;
import java.awt.image.PixelInterleavedSampleModel;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Images and label masks as files: RGB images (PNG or JPEG) and palette PNG masks, the one codec the
 * dataset readers and writers share.
 *
 * <p>Files are read whole into memory and decoded from there: ImageIO's default file cache would write a
 * temporary file per read, and a decoder warning (which ImageIO otherwise only logs, e.g. a JPEG cut short
 * and padded with grey) is turned into an error, so a damaged file never yields plausible-looking pixels.
 */
public final class VocImages {
    private VocImages() {}

    /** Reads a PNG or JPEG as 8-bit RGB; grey and palette images are expanded, an alpha channel is dropped. */
    public static RgbImage readRgb(Path file) {
        BufferedImage img = decode(file);
        int w = img.getWidth();
        int h = img.getHeight();
        byte[] rgb = new byte[w * h * 3];
        Raster raster = img.getRaster();
        if (img.getColorModel() instanceof ComponentColorModel && raster.getSampleModel() instanceof PixelInterleavedSampleModel sm
                && raster.getDataBuffer() instanceof DataBufferByte buffer && raster.getParent() == null) {
            // Fast path for what PNG and JPEG decoders give: interleaved bytes (BGR, ABGR or grey).
            byte[] data = buffer.getData();
            int[] offsets = sm.getBandOffsets();
            int stride = sm.getPixelStride();
            int bands = sm.getNumBands();
            int scan = sm.getScanlineStride();
            boolean grey = bands < 3;
            // With 3+ bands the colour bands are the first three (ABGR's alpha is band 3).
            int ro = offsets[0];
            int go = grey ? offsets[0] : offsets[1];
            int bo = grey ? offsets[0] : offsets[2];
            for (int y = 0, o = 0; y < h; y++) {
                int row = y * scan;
                for (int x = 0; x < w; x++, o += 3) {
                    int p = row + x * stride;
                    rgb[o] = data[p + ro];
                    rgb[o + 1] = data[p + go];
                    rgb[o + 2] = data[p + bo];
                }
            }
        } else {
            int[] argb = img.getRGB(0, 0, w, h, null, 0, w);
            for (int i = 0, o = 0; i < argb.length; i++, o += 3) {
                rgb[o] = (byte) (argb[i] >> 16);
                rgb[o + 1] = (byte) (argb[i] >> 8);
                rgb[o + 2] = (byte) argb[i];
            }
        }
        return new RgbImage(w, h, rgb);
    }

    /**
     * Reads a label mask: the raw indices of a palette PNG (VOC's SegmentationClass) or the values of an
     * 8-bit grey PNG (the SBD 'SegmentationClassAug' files). Colour images are refused: their colours would
     * have to be mapped back to classes, and a wrong guess silently corrupts the labels.
     */
    public static LabelMask readMask(Path file) {
        BufferedImage img = decode(file);
        Raster raster = img.getRaster();
        int w = img.getWidth();
        int h = img.getHeight();
        boolean palette = img.getColorModel() instanceof IndexColorModel;
        boolean grey8 = img.getColorModel() instanceof ComponentColorModel && raster.getNumBands() == 1
                && raster.getSampleModel().getSampleSize(0) == 8;
        if (!palette && !grey8) {
            int bands = raster.getNumBands();
            String kind = bands >= 3 ? "an RGB" + (bands == 4 ? "A" : "") + " image"
                    : bands + "-channel " + raster.getSampleModel().getSampleSize(0) + "-bit image";
            throw new DataException(file, "is " + kind + ", not a label mask: masks must be palette PNGs"
                    + " (or 8-bit grey) whose pixel values are class indices");
        }
        int[] samples = raster.getSamples(0, 0, w, h, 0, (int[]) null);
        byte[] labels = new byte[samples.length];
        for (int i = 0; i < samples.length; i++) {
            labels[i] = (byte) samples[i];
        }
        return new LabelMask(w, h, labels);
    }

    /** Writes a lossless 8-bit RGB PNG. */
    public static void writePng(Path file, RgbImage image) {
        BufferedImage img = new BufferedImage(image.width(), image.height(), BufferedImage.TYPE_3BYTE_BGR);
        byte[] bgr = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
        byte[] rgb = image.rgb();
        for (int i = 0; i < rgb.length; i += 3) {
            bgr[i] = rgb[i + 2];
            bgr[i + 1] = rgb[i + 1];
            bgr[i + 2] = rgb[i];
        }
        encodePng(file, img);
    }

    /** Writes an 8-bit palette PNG with the {@link VocPalette}: the pixel values are the labels. */
    public static void writeMask(Path file, LabelMask mask) {
        BufferedImage img = new BufferedImage(mask.width(), mask.height(), BufferedImage.TYPE_BYTE_INDEXED,
                VocPalette.colorModel());
        byte[] data = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
        System.arraycopy(mask.labels(), 0, data, 0, data.length);
        encodePng(file, img);
    }

    /** Larger image files are refused before they are read: a device or a runaway file must not fill the memory. */
    static final long MAX_FILE_BYTES = 256L << 20;

    private static BufferedImage decode(Path file) {
        byte[] bytes = DataFiles.readBytes(file, MAX_FILE_BYTES, "image");
        if (bytes.length == 0) {
            throw new DataException(file, "empty file, not an image");
        }
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new DataException(file, "not a PNG or JPEG image (unrecognised content, "
                        + bytes.length + " bytes)");
            }
            ImageReader reader = readers.next();
            List<String> warnings = new ArrayList<>();
            try {
                reader.setInput(in, true, true);
                reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
                BufferedImage img = reader.read(0);
                if (!warnings.isEmpty()) {
                    throw new DataException(file, "corrupt " + reader.getFormatName() + " image: " + warnings.get(0));
                }
                return img;
            } finally {
                reader.dispose();
            }
        } catch (DataException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            // Decoders report damage as IIOException or as assorted runtime exceptions from deep inside.
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            String why = root == e ? String.valueOf(e.getMessage()) : e.getMessage() + " (" + root + ")";
            throw new DataException(file, "corrupt or truncated image: " + why, e);
        }
    }

    private static void encodePng(Path file, BufferedImage img) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("png").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(img.getWidth() * img.getHeight() * 3 / 2 + 256);
        try {
            try (ImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
                writer.setOutput(out);
                writer.write(img);
            } finally {
                writer.dispose();
            }
            Files.write(file, bytes.toByteArray());
        } catch (IOException e) {
            throw new DataException(file, "cannot write PNG: " + e, e);
        }
    }
}

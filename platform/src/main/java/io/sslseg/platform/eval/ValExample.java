package io.sslseg.platform.eval;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import io.sslseg.api.data.Split;
import io.sslseg.api.data.voc.VocPalette;
import io.sslseg.platform.data.Batch;
import io.sslseg.platform.data.BatchStream;
import io.sslseg.platform.run.RunFolder;
import io.sslseg.platform.train.Experiment;
import io.sslseg.platform.train.SegmentationNet;
import io.sslseg.platform.train.TrainedNetwork;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * One val image with its true mask and a network's prediction ({@code width x height}), as the comparison report and
 * the TensorBoard log show them: the image, then truth and prediction in the VOC palette.
 */
public record ValExample(int width, int height, byte[] rgb, byte[] truth, int[] predicted) {
    /** The first {@code count} val images through {@code evaluator}'s network, one at a time (VOC sizes differ). */
    public static List<ValExample> predict(Experiment experiment, Evaluator evaluator, NDManager root, int count) {
        List<ValExample> out = new ArrayList<>();
        var val = experiment.data().split(Split.VAL);
        try (BatchStream stream = BatchStream.eval(val, 1, BatchStream.Prefetch.NONE)) {
            for (int i = 0; i < Math.min(count, val.size()); i++) {
                Batch b = stream.next();
                try (NDManager step = root.newSubManager()) {
                    out.add(new ValExample(b.width(), b.height(), val.load(i).image().rgb(), b.masks(),
                            evaluator.predict(step, b)));
                }
            }
        }
        return out;
    }

    /** The first {@code count} val images through a run's network from {@code checkpoint}, on the CPU. */
    public static List<ValExample> ofRun(RunFolder folder, Experiment experiment, String checkpoint, int count) {
        Device device = Device.cpu();
        try (NDManager root = NDManager.newBaseManager(device, "PyTorch")) {
            SegmentationNet net = TrainedNetwork.load(folder, experiment, checkpoint, null, root, device).net();
            return predict(experiment, new Evaluator(net, net.outputStride(), experiment.numClasses(), device), root, count);
        }
    }

    public BufferedImage image() {
        BufferedImage im = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int i = 0; i < width * height; i++) {
            im.setRGB(i % width, i / width, (rgb[3 * i] & 0xFF) << 16 | (rgb[3 * i + 1] & 0xFF) << 8 | (rgb[3 * i + 2] & 0xFF));
        }
        return im;
    }

    public BufferedImage truthImage() {
        int[] ids = new int[truth.length];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = truth[i] & 0xFF;
        }
        return maskImage(ids);
    }

    public BufferedImage predictionImage() {
        return maskImage(predicted);
    }

    /** Image, truth and prediction side by side, 3 x width wide. */
    public BufferedImage sideBySide() {
        BufferedImage all = new BufferedImage(3 * width, height, BufferedImage.TYPE_INT_RGB);
        var g = all.createGraphics();
        g.drawImage(image(), 0, 0, null);
        g.drawImage(truthImage(), width, 0, null);
        g.drawImage(predictionImage(), 2 * width, 0, null);
        g.dispose();
        return all;
    }

    private BufferedImage maskImage(int[] ids) {
        BufferedImage im = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int i = 0; i < width * height; i++) {
            im.setRGB(i % width, i / width, VocPalette.rgb(ids[i]));
        }
        return im;
    }

    /** {@code image} as PNG bytes. */
    public static byte[] png(BufferedImage image) {
        try (ByteArrayOutputStream png = new ByteArrayOutputStream()) {
            ImageIO.write(image, "png", png);
            return png.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

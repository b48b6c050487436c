package io.sslseg.platform.eval;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import io.sslseg.api.NonFiniteException;
import io.sslseg.api.Progress;
import io.sslseg.platform.data.Batch;
import java.util.Iterator;

/**
 * Full-image, single-scale evaluation as in the reference: reflect-pad to a multiple of the output stride,
 * forward in inference mode, crop the logits back, argmax, accumulate the confusion matrix.
 */
public final class Evaluator {
    private final Block net;
    private final int stride;
    private final int numClasses;
    private final Device device;

    public Evaluator(Block net, int stride, int numClasses, Device device) {
        this.net = net;
        this.stride = stride;
        this.numClasses = numClasses;
        this.device = device;
    }

    public ConfusionMatrix evaluate(NDManager parent, Iterator<Batch> batches, long images, Progress progress) {
        ConfusionMatrix cm = new ConfusionMatrix(numClasses);
        progress.start("eval", images);
        while (batches.hasNext()) {
            Batch b = batches.next();
            try (NDManager step = parent.newSubManager(device)) {
                int[] predicted = predict(step, b);
                cm.add(predicted, b.masks(), 0, b.masks().length);
            }
            progress.advance(b.n());
        }
        progress.done();
        return cm;
    }

    /** Class id per pixel, n x height x width, for a batch of same-sized images. */
    public int[] predict(NDManager step, Batch b) {
        int ph = ceilTo(b.height(), stride);
        int pw = ceilTo(b.width(), stride);
        float[] padded = reflectPad(b.images(), b.n(), b.height(), b.width(), ph, pw);
        NDArray x = step.create(padded, new Shape(b.n(), 3, ph, pw)).toDevice(device, false);
        ParameterStore ps = new ParameterStore(step, false);
        NDArray logits = net.forward(ps, new NDList(x), false).head();
        if (ph != b.height() || pw != b.width()) {
            logits = logits.get(new NDIndex(":, :, :{}, :{}", b.height(), b.width()));
        }
        if (!Float.isFinite(logits.sum().getFloat())) {
            // argmax would read NaN as the top score: a silently wrong prediction
            throw new NonFiniteException("the network's output for " + b.ids().get(0)
                    + (b.n() > 1 ? " (and the other " + (b.n() - 1) + " images of its batch)" : "") + " has NaN or Inf");
        }
        return logits.argMax(1).toType(DataType.INT32, false).toDevice(Device.cpu(), false).toIntArray();
    }

    static int ceilTo(int v, int m) {
        return (v + m - 1) / m * m;
    }

    /** Bottom/right reflect padding (PyTorch 'reflect': the edge pixel is not repeated). */
    static float[] reflectPad(float[] src, int n, int h, int w, int ph, int pw) {
        if (ph == h && pw == w) {
            return src;
        }
        float[] dst = new float[n * 3 * ph * pw];
        for (int plane = 0; plane < n * 3; plane++) {
            int so = plane * h * w;
            int d0 = plane * ph * pw;
            for (int y = 0; y < ph; y++) {
                int sy = reflect(y, h);
                for (int x = 0; x < pw; x++) {
                    dst[d0 + y * pw + x] = src[so + sy * w + reflect(x, w)];
                }
            }
        }
        return dst;
    }

    private static int reflect(int i, int n) {
        if (n == 1) {
            return 0;
        }
        int period = 2 * (n - 1);
        int r = i % period;
        return r < n ? r : period - r;
    }
}

package io.sslseg.platform.train;

import io.sslseg.api.data.Sample;
import io.sslseg.api.data.SampleList;
import io.sslseg.api.data.Split;
import io.sslseg.platform.data.Batch;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;

/** TEMPORARY: replaced by the platform data pipeline (BatchStream). */
public final class DataStreams {
    public interface Labeled extends AutoCloseable {
        Batch next();

        @Override
        void close();
    }

    public interface Eval extends Iterator<Batch>, AutoCloseable {
        long images();

        @Override
        void close();
    }

    public static Labeled labeled(Experiment e, long startStep) {
        SampleList list = e.data().split(Split.LABELED);
        int bs = e.config().train().batchSize();
        return new Labeled() {
            long drawn = startStep * bs;

            @Override
            public Batch next() {
                List<Sample> s = new ArrayList<>();
                for (int i = 0; i < bs; i++) {
                    long k = drawn++;
                    long epoch = k / list.size();
                    int[] order = order(list.size(), e.config().seed() + epoch);
                    s.add(list.load(order[(int) (k % list.size())]));
                }
                return toBatch(s);
            }

            @Override
            public void close() {}
        };
    }

    static int[] order(int n, long seed) {
        int[] o = new int[n];
        for (int i = 0; i < n; i++) {
            o[i] = i;
        }
        Random r = new Random(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = o[i];
            o[i] = o[j];
            o[j] = t;
        }
        return o;
    }

    public static Eval val(Experiment e) {
        SampleList list = e.data().split(Split.VAL);
        int bs = e.config().eval().batchSize();
        return new Eval() {
            int next = 0;

            @Override
            public long images() {
                return list.size();
            }

            @Override
            public boolean hasNext() {
                return next < list.size();
            }

            @Override
            public Batch next() {
                List<Sample> s = new ArrayList<>();
                while (s.size() < bs && next < list.size()) {
                    s.add(list.load(next++));
                }
                return toBatch(s);
            }

            @Override
            public void close() {}
        };
    }

    static Batch toBatch(List<Sample> samples) {
        int n = samples.size();
        int h = samples.get(0).image().height();
        int w = samples.get(0).image().width();
        float[] img = new float[n * 3 * h * w];
        byte[] masks = new byte[n * h * w];
        float[] mean = {0.485f, 0.456f, 0.406f};
        float[] std = {0.229f, 0.224f, 0.225f};
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Sample s = samples.get(i);
            ids.add(s.id());
            for (int c = 0; c < 3; c++) {
                for (int p = 0; p < h * w; p++) {
                    img[((i * 3 + c) * h * w) + p] = ((s.image().rgb()[p * 3 + c] & 0xFF) / 255f - mean[c]) / std[c];
                }
            }
            System.arraycopy(s.mask().labels(), 0, masks, i * h * w, h * w);
        }
        List<java.util.Set<Integer>> tags = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            tags.add(null);
        }
        return new Batch(n, h, w, img, masks, ids, tags);
    }
}

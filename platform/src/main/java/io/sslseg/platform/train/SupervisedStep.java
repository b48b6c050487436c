package io.sslseg.platform.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import io.sslseg.api.SslsegException;
import io.sslseg.api.loss.SupervisedLoss;
import io.sslseg.api.loss.TrainingClock;
import io.sslseg.platform.data.Batch;
import java.nio.ByteBuffer;

/**
 * One optimisation step on a labelled batch: forward, loss, backward, update. Every array it makes lives
 * in a per-step manager closed at the end, so memory stays flat however many steps run.
 */
public final class SupervisedStep {
    private final SegmentationNet net;
    private final SupervisedLoss loss;
    private final GroupedOptimizer optimizer;
    private final NDManager root;

    public SupervisedStep(SegmentationNet net, SupervisedLoss loss, GroupedOptimizer optimizer, NDManager root) {
        this.net = net;
        this.loss = loss;
        this.optimizer = optimizer;
        this.root = root;
    }

    /** @return the loss before the update; a non-finite loss stops training before the weights change */
    public float run(Batch batch, double lr, TrainingClock clock, int engineSeed) {
        Engine.getEngine("PyTorch").setRandomSeed(engineSeed);
        float value;
        try (NDManager sm = root.newSubManager()) {
            NDArray x = sm.create(batch.images(), new Shape(batch.n(), 3, batch.height(), batch.width()));
            NDArray y = labels(sm, batch);
            ParameterStore ps = new ParameterStore(sm, false);
            try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
                NDArray logits = net.forward(ps, new NDList(x), true).head();
                NDArray l = loss.compute(logits, y, clock);
                value = l.getFloat();
                if (!Float.isFinite(value)) {
                    throw new NonFiniteLossException(clock.iteration() + 1, value);
                }
                gc.backward(l);
            }
            optimizer.step(lr);
        }
        return value;
    }

    /** Class ids as int64, 255 kept for the loss to ignore. */
    static NDArray labels(NDManager sm, Batch b) {
        return sm.create(ByteBuffer.wrap(b.masks()), new Shape(b.n(), b.height(), b.width()), DataType.UINT8)
                .toType(DataType.INT64, false);
    }

    /** The loss became NaN or infinite; the weights were not updated with it. */
    public static final class NonFiniteLossException extends SslsegException {
        NonFiniteLossException(long step, float value) {
            super("step " + step + ": the supervised loss is " + value + "; training stopped before applying it"
                    + " (lower train.optimizer.lr, or check the data)");
        }
    }
}

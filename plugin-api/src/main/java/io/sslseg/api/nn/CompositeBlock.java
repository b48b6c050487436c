package io.sslseg.api.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Base for a block made of child blocks (DJL's recipe) that states its data flow on shapes
 * once: {@link #traceShapes} both initialises the children (chaining their output shapes) and answers
 * {@code getOutputShapes}, so the two can never disagree.
 *
 * <p>In {@code forwardInternal}, call children through {@link #apply} with the same {@link ParameterStore}, and
 * keep activations as the first operand of every op: DJL attaches a result to its first operand's manager, and
 * a parameter there would leak one array per step into the model's manager.
 */
public abstract class CompositeBlock extends AbstractBlock {
    private static final byte VERSION = 1;

    protected CompositeBlock() {
        super(VERSION);
    }

    /**
     * Walks the forward data flow on shapes: pass each child to {@link ShapeTrace#through} with its input
     * shapes, in forward order, and return this block's output shapes.
     */
    protected abstract Shape[] traceShapes(ShapeTrace trace, Shape[] inputShapes);

    @Override
    protected final void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        traceShapes(new ShapeTrace(manager, dataType), inputShapes);
    }

    @Override
    public final Shape[] getOutputShapes(Shape[] inputShapes) {
        return traceShapes(new ShapeTrace(null, null), inputShapes);
    }

    /** Runs a single-input, single-output child. */
    protected static NDArray apply(
            Block child, ParameterStore ps, NDArray x, boolean training, PairList<String, Object> params) {
        return child.forward(ps, new NDList(x), training, params).singletonOrThrow();
    }

    /** Shape propagation through children; initialises each child on the way when built with a manager. */
    public static final class ShapeTrace {
        private final NDManager manager;
        private final DataType dataType;

        private ShapeTrace(NDManager manager, DataType dataType) {
            this.manager = manager;
            this.dataType = dataType;
        }

        /** The child's output shapes for these inputs (initialising it first when this trace initialises). */
        public Shape[] through(Block child, Shape... inputShapes) {
            if (manager != null) {
                child.initialize(manager, dataType, inputShapes);
            }
            return child.getOutputShapes(inputShapes);
        }

        /** {@link #through} for a single-input, single-output child. */
        public Shape through(Block child, Shape inputShape) {
            return through(child, new Shape[] {inputShape})[0];
        }
    }
}

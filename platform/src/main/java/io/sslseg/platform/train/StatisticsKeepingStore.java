package io.sslseg.platform.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;

/**
 * A step's parameter store that hands batch-norm layers a throwaway copy of their running statistics in training
 * mode: the pass normalises with its batch's own statistics as usual, and the update of the running averages lands in
 * the copy (which the graph may keep for backward) instead of the network. Everything else is the network's own array.
 */
final class StatisticsKeepingStore extends ParameterStore {
    private final NDManager step;

    StatisticsKeepingStore(NDManager step) {
        super(step, false);
        this.step = step;
    }

    @Override
    public NDArray getValue(Parameter parameter, Device device, boolean training) {
        NDArray value = super.getValue(parameter, device, training);
        if (training && parameter != null && isRunningStatistic(parameter)) { // DJL asks for absent biases with null
            NDArray copy = value.duplicate();
            copy.attach(step); // closed with the step, after its backward pass
            return copy;
        }
        return value;
    }

    static boolean isRunningStatistic(Parameter p) {
        return p.getType() == Parameter.Type.RUNNING_MEAN || p.getType() == Parameter.Type.RUNNING_VAR;
    }
}

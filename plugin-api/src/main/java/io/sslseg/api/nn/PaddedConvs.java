package io.sslseg.api.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/** The conv {@link Layers#conv2d(ai.djl.nn.convolutional.Conv2d.Builder)} makes. */
final class PaddedConvs {
    private PaddedConvs() {}

    /**
     * Named Conv2d like DJL's own: a SequentialBlock names its children by class simple name, and parameter names
     * ("03Conv2d_weight") are what checkpoints, --init-from and weights files match on.
     */
    static final class Conv2d extends ai.djl.nn.convolutional.Conv2d {
        private static final int MULTIPLE = 8;

        Conv2d(ai.djl.nn.convolutional.Conv2d.Builder builder) {
            super(builder);
        }

        @Override
        protected NDList forwardInternal(
                ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
            NDArray x = inputs.singletonOrThrow();
            long cin = x.getShape().get(1);
            long missing = (MULTIPLE - cin % MULTIPLE) % MULTIPLE;
            if (groups != 1 || cin <= MULTIPLE || missing == 0 || kernelShape.size() == 1) {
                return super.forwardInternal(ps, inputs, training, params);
            }
            NDArray w = ps.getValue(weight, x.getDevice(), training);
            NDArray b = includeBias ? ps.getValue(bias, x.getDevice(), training) : null;
            Shape xs = x.getShape();
            Shape ws = w.getShape();
            NDManager m = x.getManager();
            NDArray xPadded = x.concat(m.zeros(new Shape(xs.get(0), missing, xs.get(2), xs.get(3)), x.getDataType()), 1);
            NDArray wPadded = w.concat(m.zeros(new Shape(ws.get(0), missing, ws.get(2), ws.get(3)), w.getDataType()), 1);
            wPadded.attach(m); // made from a parameter, so born in the model's manager: it belongs to this step
            return ai.djl.nn.convolutional.Conv2d.conv2d(xPadded, wPadded, b, stride, padding, dilation, groups);
        }
    }
}

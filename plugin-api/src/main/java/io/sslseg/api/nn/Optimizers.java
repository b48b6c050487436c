package io.sslseg.api.nn;

import ai.djl.nn.Parameter;
import ai.djl.util.PairList;

/** The platform's optimizers, for components that train parameters of their own with their own schedule. */
public interface Optimizers {
    /**
     * PyTorch's AdamW (decoupled weight decay; with {@code weightDecay} 0 it is Adam) over the trainable ones
     * of {@code parameters}, named for saved state.
     */
    Updater adamW(PairList<String, Parameter> parameters, double beta1, double beta2, double weightDecay);
}

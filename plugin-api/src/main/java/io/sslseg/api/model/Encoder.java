package io.sslseg.api.model;

import ai.djl.nn.Block;

/**
 * A backbone. Its block takes {@code NDList(images N x 3 x H x W, normalised)} and returns one array per
 * stage of {@link #features()}, in that order.
 */
public interface Encoder {
    Block block();

    FeatureInfo features();
}

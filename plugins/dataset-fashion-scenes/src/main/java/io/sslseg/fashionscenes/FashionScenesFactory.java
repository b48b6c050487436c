package io.sslseg.fashionscenes;

import io.sslseg.api.data.DatasetContext;
import io.sslseg.api.data.DatasetFactory;
import io.sslseg.api.data.SegDataset;

/** The {@code fashion-scenes} dataset component. */
public final class FashionScenesFactory implements DatasetFactory<FashionScenesParams> {
    @Override
    public Class<FashionScenesParams> paramsType() {
        return FashionScenesParams.class;
    }

    @Override
    public FashionScenesParams defaults() {
        return FashionScenesParams.DEFAULTS;
    }

    @Override
    public String summary() {
        return "FashionScenes: VOC-style scenes of 1-3 Fashion-MNIST items on noisy gradients, 11 classes,"
                + " nested labelled subsets, image-level tags (generated on demand)";
    }

    /** Generation is pure and fast, so the cache folder is not used. */
    @Override
    public SegDataset create(FashionScenesParams params, DatasetContext context) {
        return new FashionScenes(params);
    }
}

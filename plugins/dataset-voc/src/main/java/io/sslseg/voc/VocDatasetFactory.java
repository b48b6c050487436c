package io.sslseg.voc;

import io.sslseg.api.SslsegException;
import io.sslseg.api.data.DatasetContext;
import io.sslseg.api.data.DatasetFactory;
import io.sslseg.api.data.SegDataset;
import java.nio.file.Path;

/** The {@code voc} dataset component. */
public final class VocDatasetFactory implements DatasetFactory<VocParams> {
    @Override
    public Class<VocParams> paramsType() {
        return VocParams.class;
    }

    @Override
    public VocParams defaults() {
        return VocParams.DEFAULTS;
    }

    @Override
    public String summary() {
        return "PASCAL VOC 2012-shaped folder: SegmentationClass(Aug) masks, Annotations tags, sslseg and CCT"
                + " labelled-subset lists";
    }

    @Override
    public SegDataset create(VocParams params, DatasetContext context) {
        if (params.root().isEmpty()) {
            throw new SslsegException("voc: parameter 'root' is required: the VOC2012 folder, or the folder that"
                    + " contains VOCdevkit/VOC2012");
        }
        return new VocDataset(Path.of(params.root()), params);
    }
}

package io.sslseg.plugins.cct;

import io.sslseg.api.SslsegException;
import io.sslseg.api.model.Decoder;
import io.sslseg.api.model.DecoderContext;
import io.sslseg.api.model.DecoderFactory;
import io.sslseg.api.model.FeatureInfo;
import io.sslseg.api.model.TwoStageDecoder;
import java.util.List;

/** {@code cct-main}: CCT's main decoder, a neck (PSP on the last stage, optionally fused with a finer one) and an upsampling head. */
public final class CctMainDecoder {
    private CctMainDecoder() {}

    public static DecoderFactory<CctMainDecoderParams> factory() {
        return DecoderFactory.of(CctMainDecoderParams.class, CctMainDecoderParams.DEFAULTS,
                "CCT main decoder: PSP module (bins 1,2,3,6), optional finer-stage fusion, then 1x1 conv and"
                        + " pixel-shuffle x2 steps (ICNR init)", CctMainDecoder::create);
    }

    static Decoder create(CctMainDecoderParams params, DecoderContext context) {
        FeatureInfo.Stage last = context.features().last();
        if (Integer.bitCount(last.stride()) != 1) {
            throw new SslsegException("cct-main upsamples by pixel shuffles x2 and needs a power-of-two encoder stride; "
                    + "stage " + last.name() + " has stride " + last.stride());
        }
        int skipStage = -1;
        int stride = last.stride();
        if (params.skipStride() > 0) {
            List<FeatureInfo.Stage> stages = context.features().stages();
            for (int i = 0; i < stages.size() && skipStage < 0; i++) {
                if (stages.get(i).stride() == params.skipStride()) {
                    skipStage = i;
                }
            }
            if (skipStage < 0 || params.skipStride() > last.stride()) {
                throw new SslsegException("skipStride: the encoder publishes no stage of stride " + params.skipStride()
                        + " finer than its last (strides: " + stages.stream().map(FeatureInfo.Stage::stride).toList() + ")");
            }
            stride = params.skipStride();
        }
        CctNeck neck = new CctNeck(new PspNeck(last.channels(), params.width(), PspNeck.BINS), skipStage, params.width());
        int upscale = stride;
        return TwoStageDecoder.of(neck, params.width(), upscale, () -> new UpsampleHead(
                context.numClasses(), upscale, params.reluBeforeShuffle(), params.upsampleWidth()));
    }
}

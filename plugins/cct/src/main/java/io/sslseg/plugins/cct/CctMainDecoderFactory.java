package io.sslseg.plugins.cct;

import ai.djl.nn.Block;
import io.sslseg.api.SslsegException;
import io.sslseg.api.model.Decoder;
import io.sslseg.api.model.DecoderContext;
import io.sslseg.api.model.DecoderFactory;
import io.sslseg.api.model.FeatureInfo;
import io.sslseg.api.model.TwoStageDecoder;

/** {@code cct-main}: CCT's main decoder, PSP neck + upsampling head, reading the encoder's last stage. */
public final class CctMainDecoderFactory implements DecoderFactory<CctMainDecoderParams> {
    @Override
    public Class<CctMainDecoderParams> paramsType() {
        return CctMainDecoderParams.class;
    }

    @Override
    public CctMainDecoderParams defaults() {
        return CctMainDecoderParams.DEFAULTS;
    }

    @Override
    public String summary() {
        return "CCT main decoder: PSP module (bins 1,2,3,6) then 1x1 conv and pixel-shuffle x2 steps (ICNR init)";
    }

    @Override
    public Decoder create(CctMainDecoderParams params, DecoderContext context) {
        FeatureInfo.Stage last = context.features().last();
        if (Integer.bitCount(last.stride()) != 1) {
            throw new SslsegException("cct-main upsamples by pixel shuffles x2 and needs a power-of-two encoder stride; "
                    + "stage " + last.name() + " has stride " + last.stride());
        }
        PspNeck neck = new PspNeck(last.channels(), params.width(), PspNeck.BINS);
        UpsampleHead head = new UpsampleHead(context.numClasses(), last.stride(), params.reluBeforeShuffle());
        CctDecoder block = new CctDecoder(neck, head);
        int classes = context.numClasses();
        int stride = last.stride();
        boolean relu = params.reluBeforeShuffle();
        return new TwoStageDecoder() {
            @Override
            public Block block() {
                return block;
            }

            @Override
            public Block neck() {
                return neck;
            }

            @Override
            public Block head() {
                return head;
            }

            @Override
            public int neckChannels() {
                return params.width();
            }

            @Override
            public Block newHead() {
                return new UpsampleHead(classes, stride, relu);
            }
        };
    }
}

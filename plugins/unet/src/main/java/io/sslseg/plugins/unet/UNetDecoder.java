package io.sslseg.plugins.unet;

import io.sslseg.api.SslsegException;
import io.sslseg.api.model.DecoderContext;
import io.sslseg.api.model.DecoderFactory;
import io.sslseg.api.model.FeatureInfo;
import io.sslseg.api.model.TwoStageDecoder;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code unet}: a U-Net's expanding path over any encoder's published stages (Ronneberger et al. 2015), as a
 * {@link TwoStageDecoder}: the neck ends at the finest stage, the head goes to full resolution. Of stages that
 * share a stride (a dilated encoder's last ones) only the deepest is fused.
 */
public final class UNetDecoder {
    private UNetDecoder() {}

    public static DecoderFactory<UNetDecoderParams> factory() {
        return DecoderFactory.of(UNetDecoderParams.class, UNetDecoderParams.DEFAULTS,
                "U-Net decoder: from the deepest stage, bilinear x2 upsampling, concatenation with each finer stage"
                        + " and 3x3 convs, then 3x3 convs at input resolution and a 1x1 conv to the classes",
                UNetDecoder::create);
    }

    static TwoStageDecoder create(UNetDecoderParams params, DecoderContext context) {
        List<FeatureInfo.Stage> stages = context.features().stages();
        int deepest = stages.size() - 1;
        List<Integer> skips = new ArrayList<>();
        int previous = stages.get(deepest).stride();
        for (int i = deepest - 1; i >= 0; i--) {
            int stride = stages.get(i).stride();
            if (stride > previous) {
                throw new SslsegException("unet needs stages ordered fine to coarse; stage " + stages.get(i).name()
                        + " (stride " + stride + ") comes before a finer one");
            }
            if (stride < previous) {
                if (previous % stride != 0) {
                    throw new SslsegException("unet upsamples between stages by whole factors; stage "
                            + stages.get(i).name() + " has stride " + stride + ", the next coarser " + previous);
                }
                skips.add(i);
                previous = stride;
            }
        }
        int finest = previous;
        int[] channels = skips.isEmpty()
                ? new int[] {params.width()}
                : skips.stream().mapToInt(i -> params.width() * (stages.get(i).stride() / finest)).toArray();
        UNetNeck neck = new UNetNeck(deepest, skips.stream().mapToInt(Integer::intValue).toArray(), channels,
                params.convs());
        int zChannels = channels[channels.length - 1];
        return TwoStageDecoder.of(neck, zChannels, finest,
                () -> new UNetHead(context.numClasses(), finest, params.width(), params.headConvs()));
    }
}

package io.sslseg.plugins.cct;

import io.sslseg.api.NestedComponent;
import io.sslseg.api.ssl.Ramps;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The CCT consistency term.
 *
 * @param perturbations one entry per perturbation type: {@code type}, {@code count} (auxiliary decoders fed
 *     by it) and the perturbation's own parameters; the reference's counts by default (30 decoders)
 * @param consistency the distance between auxiliary and main predictions ({@code type: mse} by default)
 * @param weight the final unsupervised weight w_u (reference 30)
 * @param ramp the ramp-up shape (sigmoid, linear, cosine, log, exp)
 * @param rampUpStart fraction of training at which the ramp starts (reference 0)
 * @param rampUpEnd fraction of training at which w_u reaches {@code weight} (reference 0.1)
 * @param split where the consistency batch comes from: {@code unlabeled}, or {@code weak} (the same kind of
 *     images with tags, whose pseudo-labels a {@code cct-weak} term then trains the auxiliary decoders on, as
 *     the reference does when its weak-label flag is on)
 * @param at where the auxiliary decoders read: {@code decoder} (the main decoder's neck output z, through copies of its
 *     head: on a U-Net the full-resolution feature map before the 1x1 classifier) or {@code bottleneck} (the encoder's
 *     deepest stage, as in the reference, through light upsampling decoders of their own)
 */
public record CctTermParams(
        @NestedComponent(kind = "perturbation", ownKeys = "count") List<Map<String, Object>> perturbations,
        @NestedComponent(kind = "consistency-loss") Map<String, Object> consistency, double weight, String ramp,
        double rampUpStart, double rampUpEnd, String split, String at) {

    public CctTermParams {
        if (perturbations == null || perturbations.isEmpty()) {
            throw new IllegalArgumentException("perturbations: name at least one perturbation type with a count");
        }
        for (int i = 0; i < perturbations.size(); i++) {
            Object count = perturbations.get(i).get("count");
            if (!(count instanceof Integer c) || c < 0) {
                throw new IllegalArgumentException("perturbations[" + i + "].count: must be an integer >= 0, got " + count);
            }
        }
        if (!(weight >= 0)) {
            throw new IllegalArgumentException("weight must be >= 0, got " + weight);
        }
        Ramps.Ramp.named(ramp);
        if (!"unlabeled".equals(split) && !"weak".equals(split)) {
            throw new IllegalArgumentException("split must be 'unlabeled' or 'weak', got '" + split + "'");
        }
        if (!"decoder".equals(at) && !"bottleneck".equals(at)) {
            throw new IllegalArgumentException("at must be 'decoder' or 'bottleneck', got '" + at + "'");
        }
        if (!(rampUpStart >= 0 && rampUpStart <= rampUpEnd && rampUpEnd <= 1)) {
            throw new IllegalArgumentException("need 0 <= rampUpStart <= rampUpEnd <= 1, got " + rampUpStart + ", " + rampUpEnd);
        }
    }

    /** The reference configuration: 30 auxiliary decoders, MSE, w_u 30 with a sigmoid ramp over 10 %. */
    public static CctTermParams defaults() {
        List<Map<String, Object>> p = new ArrayList<>();
        p.add(entry("vat", 2));
        p.add(entry("dropout", 6));
        p.add(entry("g-cutout", 6));
        p.add(entry("context-mask", 2));
        p.add(entry("object-mask", 2));
        p.add(entry("feature-drop", 6));
        p.add(entry("feature-noise", 6));
        Map<String, Object> mse = new LinkedHashMap<>();
        mse.put("type", "mse");
        return new CctTermParams(p, mse, 30.0, "sigmoid", 0.0, 0.1, "unlabeled", "decoder");
    }

    private static Map<String, Object> entry(String type, int count) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", type);
        m.put("count", count);
        return m;
    }
}

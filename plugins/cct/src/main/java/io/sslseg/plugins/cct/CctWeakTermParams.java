package io.sslseg.plugins.cct;

import io.sslseg.api.NestedComponent;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The weak-label loss on CCT's auxiliary decoders.
 *
 * @param weight the final weight w_w; it follows the cct term's ramp, so w_w(t) = weight * w_u(t) / w_u
 *     (reference 0.4, i.e. {@code weakly_loss_w})
 * @param loss the pixel loss of each auxiliary prediction against the pseudo-label ({@code type: ce} by
 *     default; 255 is ignored)
 */
public record CctWeakTermParams(double weight, @NestedComponent(kind = "supervised-loss") Map<String, Object> loss) {
    public CctWeakTermParams {
        if (!(weight >= 0)) {
            throw new IllegalArgumentException("weight must be >= 0, got " + weight);
        }
        if (loss == null || !(loss.get("type") instanceof String)) {
            throw new IllegalArgumentException("loss: name a supervised loss with type: (e.g. ce)");
        }
    }

    public static CctWeakTermParams defaults() {
        Map<String, Object> ce = new LinkedHashMap<>();
        ce.put("type", "ce");
        return new CctWeakTermParams(0.4, ce);
    }
}

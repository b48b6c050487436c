package io.sslseg.plugins.cct;

import ai.djl.ndarray.NDArray;
import io.sslseg.api.Components;
import io.sslseg.api.SslsegException;
import io.sslseg.api.data.Split;
import io.sslseg.api.loss.LossContext;
import io.sslseg.api.loss.SupervisedLoss;
import io.sslseg.api.method.LossTerm;
import io.sslseg.api.method.LossTermContext;
import io.sslseg.api.method.LossTermFactory;
import io.sslseg.api.method.StepContext;
import io.sslseg.api.nn.ScalarOps;
import java.util.List;
import java.util.Set;

/**
 * L_w = (1/K) sum_k loss(aux_k, pseudo-label): the auxiliary decoders of the cct term before it learn the
 * weak split's pixel pseudo-labels (255 ignored), weighted by w_w(t) = weight * ramp(t). It reuses the
 * auxiliary predictions the cct term made this step on the same weak batch, so the main decoder, which
 * is not among them, gets no gradient from pseudo-labels; the encoder and neck do, through the heads.
 */
public final class CctWeakTerm implements LossTerm {
    private final CctTerm cct;
    private final SupervisedLoss loss;
    private final double weight;

    public static LossTermFactory<CctWeakTermParams> factory() {
        return LossTermFactory.of(CctWeakTermParams.class, CctWeakTermParams.defaults(),
                "CCT's weak-label loss: the auxiliary decoders learn the weak split's pixel pseudo-labels",
                CctWeakTerm::new);
    }

    CctWeakTerm(CctWeakTermParams p, LossTermContext ctx) {
        this.cct = ctx.earlierTerms().stream().filter(CctTerm.class::isInstance).map(CctTerm.class::cast)
                .reduce((a, b) -> b).orElseThrow(() -> new SslsegException("loss term cct-weak trains the auxiliary"
                        + " decoders of a cct term: list a cct term (with split: weak) before it in loss.terms"));
        if (cct.split() != Split.WEAK) {
            throw new SslsegException("loss term cct-weak: the cct term before it draws the unlabeled split; set its"
                    + " split: weak so that its auxiliary decoders see the images the pseudo-labels belong to");
        }
        this.loss = ctx.resolver().build(Components.SUPERVISED_LOSS, p.loss(), ctx.keyPath() + ".loss",
                new LossContext(ctx.numClasses()));
        this.weight = p.weight();
    }

    @Override
    public Set<Split> splits() {
        return Set.of(Split.WEAK);
    }

    @Override
    public Set<Split> pseudoLabeled() {
        return Set.of(Split.WEAK);
    }

    /** w_w at {@code iteration}. */
    public double weightAt(long iteration) {
        return weight * cct.rampAt(iteration);
    }

    @Override
    public NDArray compute(StepContext ctx) {
        List<NDArray> aux = cct.auxiliaryLogits(ctx);
        if (aux == null) {
            throw new IllegalStateException("the cct term did not run before cct-weak this step");
        }
        NDArray labels = ctx.labels(Split.WEAK);
        if (labels == null) {
            throw new SslsegException("loss term cct-weak: the weak batch has no pseudo-labels");
        }
        NDArray sum = null;
        for (NDArray logits : aux) {
            NDArray l = loss.compute(logits, labels, ctx.clock());
            sum = sum == null ? l : sum.add(l);
        }
        NDArray lossW = ScalarOps.div(sum, aux.size());
        double w = weightAt(ctx.clock().iteration());
        ctx.log("loss_weak", lossW.getFloat());
        ctx.log("w_w", w);
        return ScalarOps.mul(lossW, w);
    }
}

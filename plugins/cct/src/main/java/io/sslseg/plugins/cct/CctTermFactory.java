package io.sslseg.plugins.cct;

import io.sslseg.api.method.LossTerm;
import io.sslseg.api.method.LossTermContext;
import io.sslseg.api.method.LossTermFactory;

/** Registers CCT's consistency term as loss term {@code cct}. */
public final class CctTermFactory implements LossTermFactory<CctTermParams> {
    @Override
    public Class<CctTermParams> paramsType() {
        return CctTermParams.class;
    }

    @Override
    public CctTermParams defaults() {
        return CctTermParams.defaults();
    }

    @Override
    public String summary() {
        return "Cross-Consistency Training: K perturbed auxiliary decoders kept consistent with the main one on unlabelled images";
    }

    @Override
    public LossTerm create(CctTermParams params, LossTermContext context) {
        return new CctTerm(params, context);
    }
}

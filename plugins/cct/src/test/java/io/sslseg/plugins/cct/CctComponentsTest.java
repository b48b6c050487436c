package io.sslseg.plugins.cct;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sslseg.api.ComponentFactory;
import io.sslseg.api.Components;
import io.sslseg.api.Kind;
import io.sslseg.api.loss.LossContext;
import io.sslseg.api.ssl.PerturbationFactory;
import io.sslseg.platform.config.ConfigException;
import io.sslseg.platform.config.ConfigTree;
import io.sslseg.platform.config.ParamBinder;
import io.sslseg.platform.plugins.ComponentCatalog;
import io.sslseg.testkit.Registered;
import io.sslseg.testkit.TestPlatform;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What CctModule registers, and that every component's parameters bind from a config and check their ranges. */
class CctComponentsTest {
    private final ParamBinder binder = new ParamBinder();

    @Test
    void registersThePerturbationsLossesAndAbce() {
        assertEquals(Set.of("vat", "dropout", "g-cutout", "context-mask", "object-mask", "feature-drop", "feature-noise"),
                Registered.components(new CctModule(), Components.PERTURBATION).keySet());
        assertEquals(Set.of("mse", "kl", "js"), Registered.components(new CctModule(), Components.CONSISTENCY_LOSS).keySet());
        assertTrue(Registered.components(new CctModule(), Components.SUPERVISED_LOSS).containsKey("abce"));
    }

    @Test
    void everyComponentBindsItsDefaultsAndCreatesFromThem() {
        // the context each kind gets: the class count for CCT's perturbations and consistency losses
        Map<Kind<?>, Object> contexts = Map.of(Components.PERTURBATION, 5, Components.CONSISTENCY_LOSS, 5,
                Components.SUPERVISED_LOSS, new LossContext(5));
        contexts.forEach((kind, context) -> {
            Map<String, ? extends ComponentFactory<?, ?, ?>> registered = Registered.components(new CctModule(), kind);
            assertTrue(!registered.isEmpty(), kind + ": none registered");
            registered.forEach((name, factory) -> assertNotNull(createFromDefaults(name, factory, context), name));
        });
    }

    /** Binds the component's defaults as a config naming only its type would, and creates the component from them. */
    @SuppressWarnings("unchecked")
    private <P extends Record, C> Object createFromDefaults(String name, ComponentFactory<P, C, ?> factory, Object context) {
        P bound = binder.bind(factory.paramsType(), factory.defaults(), Map.of(), name);
        assertEquals(factory.defaults(), bound, name);
        assertTrue(!factory.summary().isBlank(), name + " summary");
        return factory.create(bound, (C) context);
    }

    @Test
    void overridesBindAndBadValuesNameTheirField() {
        PerturbationFactory<Vat.Params> vat = Vat.factory();
        assertEquals(new Vat.Params(1e-3, 2.0, 1), binder.bind(Vat.Params.class, vat.defaults(), Map.of("xi", 1e-3), "vat"));
        assertMentions(bad(FeatureDropout.Params.class, FeatureDropout.Params.DEFAULTS, "rate", 1.0), "rate");
        assertMentions(bad(FeatureNoise.Params.class, FeatureNoise.Params.DEFAULTS, "uniformRange", -0.1), "uniformRange");
        assertMentions(bad(FeatureDrop.Params.class, FeatureDrop.Params.DEFAULTS, "gammaMax", 0.5), "gammaMax");
        assertMentions(bad(GuidedCutout.Params.class, GuidedCutout.Params.DEFAULTS, "erase", 1.5), "erase");
        assertMentions(bad(Vat.Params.class, Vat.Params.DEFAULTS, "iterations", 0), "iterations");
        assertMentions(bad(ConsistencyParams.class, ConsistencyParams.DEFAULTS, "confidenceThreshold", 1.0),
                "confidenceThreshold");
        assertMentions(bad(AbceLoss.Params.class, AbceLoss.Params.DEFAULTS, "ramp", "sigmoid_rampup"), "ramp", "log", "none");
        assertMentions(bad(AbceLoss.Params.class, AbceLoss.Params.DEFAULTS, "minKept", -1), "minKept");
        assertEquals("none", binder.bind(AbceLoss.Params.class, AbceLoss.Params.DEFAULTS, Map.of("ramp", "none"), "abce").ramp());
    }

    /**
     * The term's perturbations, consistency loss and weak-label loss are bound when the term's block is, like any
     * top-level component: a bad nested type, key or value is an error naming its full path, before anything is
     * built; the blocks keep the keys that are the term's own (a perturbation's count).
     */
    @Test
    void nestedComponentsAreBoundWithTheTerm() {
        ComponentCatalog catalog = TestPlatform.catalog(new CctModule());
        String key = "loss.terms[0]";
        assertMentions(badTerm(catalog, "{type: cct, perturbations: [{type: vat, count: 2}, {type: dropout, count: 6,"
                + " rat: 0.5}]}"), "loss.terms[0].perturbations[1].rat: unknown key", "rate");
        assertMentions(badTerm(catalog, "{type: cct, perturbations: [{type: vatt, count: 2}]}"),
                "loss.terms[0].perturbations[0].type: unknown perturbation 'vatt'", "vat");
        assertMentions(badTerm(catalog, "{type: cct, consistency: {type: mse, confidenceThreshold: 2}}"),
                "loss.terms[0].consistency", "confidenceThreshold");
        assertMentions(badTerm(catalog, "{type: cct-weak, loss: {type: abce, minKept: -1}}"),
                "loss.terms[0].loss", "minKept");
        CctTermParams bound = (CctTermParams) catalog.resolve(Components.LOSS_TERM,
                block("{type: cct, perturbations: [{type: vat, count: 2, xi: 0.001}]}"), key).params();
        assertEquals(Map.of("type", "vat", "count", 2, "xi", 0.001), bound.perturbations().get(0));
    }

    /** A config block written in YAML flow style, read as the config reader reads a --set value. */
    private static Object block(String yaml) {
        Map<String, Object> tree = new java.util.LinkedHashMap<>();
        ConfigTree.set(tree, "block=" + yaml);
        return tree.get("block");
    }

    private static String badTerm(ComponentCatalog catalog, String block) {
        return assertThrows(ConfigException.class,
                () -> catalog.resolve(Components.LOSS_TERM, block(block), "loss.terms[0]")).getMessage();
    }

    private <P extends Record> String bad(Class<P> type, P defaults, String key, Object value) {
        return assertThrows(ConfigException.class, () -> binder.bind(type, defaults, Map.of(key, value), "c")).getMessage();
    }

    private static void assertMentions(String message, String... parts) {
        for (String p : parts) {
            assertTrue(message.contains(p), () -> "'" + p + "' not in: " + message);
        }
    }
}

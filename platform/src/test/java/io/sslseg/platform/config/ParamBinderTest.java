package io.sslseg.platform.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.sslseg.api.FormerNames;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Binding a config block onto a parameter record: defaults, strict keys, strict types, range checks, paths. */
class ParamBinderTest {
    public enum Norm { BATCH, GROUP }

    public record Stem(int channels, boolean deep) {
        public Stem {
            if (channels < 1) {
                throw new IllegalArgumentException("channels must be >= 1, got " + channels);
            }
        }
    }

    public record Encoder(int width, double lr, boolean pretrained, String weights, List<Integer> strides, Stem stem,
            Norm norm) {
        public Encoder {
            if (width < 1) {
                throw new IllegalArgumentException("width must be >= 1, got " + width);
            }
        }
    }

    static final Encoder DEFAULTS = new Encoder(64, 0.01, false, null, List.of(1, 2, 2), new Stem(32, false), Norm.BATCH);

    private final ParamBinder binder = new ParamBinder();

    private static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    private Encoder bind(Map<String, Object> settings) {
        return binder.bind(Encoder.class, DEFAULTS, settings, "model.encoder");
    }

    private String error(Map<String, Object> settings) {
        return assertThrows(ConfigException.class, () -> bind(settings)).getMessage();
    }

    private static void assertMentions(String message, String... parts) {
        for (String p : parts) {
            assertTrue(message.contains(p), () -> "'" + p + "' not in: " + message);
        }
    }

    public record Renamed(@FormerNames({"scaleByLabelledFraction", "scaled"}) boolean scaleByLabeledFraction, int width) {}

    /**
     * A key renamed with {@link FormerNames}: configs and older runs' config.yaml that write the old name still bind,
     * with one deprecation warning naming old and new key; writing both names is an error.
     */
    @Test
    void aFormerKeyNameStillBindsWithADeprecationWarning() {
        Renamed defaults = new Renamed(true, 4);
        ch.qos.logback.classic.Logger log = (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(ParamBinder.class);
        ListAppender<ILoggingEvent> seen = new ListAppender<>();
        seen.start();
        log.addAppender(seen);
        try {
            for (int i = 0; i < 2; i++) {
                assertEquals(new Renamed(false, 4),
                        binder.bind(Renamed.class, defaults, map("scaleByLabelledFraction", false), "loss.terms[7]"));
            }
            assertEquals(1, seen.list.size(), "said once: " + seen.list);
            assertMentions(seen.list.get(0).getFormattedMessage(), "loss.terms[7].scaleByLabelledFraction is deprecated",
                    "now scaleByLabeledFraction");
        } finally {
            log.detachAppender(seen);
        }
        assertEquals(new Renamed(false, 4), binder.bind(Renamed.class, defaults, map("scaled", false), "t"));
        assertMentions(assertThrows(ConfigException.class, () -> binder.bind(Renamed.class, defaults,
                map("scaleByLabelledFraction", false, "scaleByLabeledFraction", true), "t")).getMessage(),
                "t.scaleByLabelledFraction", "keep only scaleByLabeledFraction");
    }

    @Test
    void anEmptyBlockGivesTheDefaults() {
        assertEquals(DEFAULTS, bind(Map.of()));
    }

    @Test
    void theBlockOverlaysTheDefaultsKeyByKeyIncludingNestedRecords() {
        Encoder e = bind(map("width", 16, "weights", "w.params", "stem", map("deep", true), "norm", "GROUP"));
        assertEquals(new Encoder(16, 0.01, false, "w.params", List.of(1, 2, 2), new Stem(32, true), Norm.GROUP), e);
    }

    /**
     * A typed block with a {@code type} (the optimizer) is not a plugin component: a file that switches its type
     * still gets the defaults of the keys it leaves out, where a component block would be replaced whole.
     */
    @Test
    void switchingTheOptimizerTypeKeepsTheOtherDefaults() {
        var defaults = io.sslseg.platform.train.RunConfig.defaults();
        Map<String, Object> file = Map.of("train", Map.of("optimizer", Map.of("type", "sgd", "lr", 0.01)));
        Map<String, Object> tree = ConfigTree.mergeMaps(ConfigTree.mutableCopyOf(binder.toMap(defaults)), file);
        var opt = binder.bind(io.sslseg.platform.train.RunConfig.class, defaults, tree, "").train().optimizer();
        assertEquals("sgd", opt.type());
        assertEquals(0.01, opt.lr());
        assertEquals(defaults.train().optimizer().momentum(), opt.momentum());
        assertEquals(defaults.train().optimizer().polyPower(), opt.polyPower());
        assertEquals(defaults.train().optimizer().encoderLrMultiplier(), opt.encoderLrMultiplier());
    }

    @Test
    void anIntegerIsAcceptedForADouble() {
        assertEquals(1.0, bind(map("lr", 1)).lr());
    }

    @Test
    void exponentNotationFromYamlOrSetBindsToADouble() {
        // learning rates are usually written 1e-3; YAML 1.1 alone would read that as a string
        assertEquals(0.001, bind(ConfigTree.fromYaml("lr: 1e-3\n")).lr());
        Map<String, Object> set = new LinkedHashMap<>();
        ConfigTree.set(set, "lr=2.5E-1");
        assertEquals(0.25, bind(set).lr());
        assertTrue(error(map("lr", "1e-3")).startsWith("model.encoder.lr: "), "a quoted string stays a string");
    }

    @Test
    void anUnknownKeyNamesItsFullPathAndTheKnownKeys() {
        assertEquals("model.encoder.widht: unknown key; known keys: width, lr, pretrained, weights, strides, stem, norm",
                error(map("widht", 8)));
    }

    @Test
    void anUnknownKeyInANestedRecordNamesItsFullPath() {
        assertMentions(error(map("stem", map("chanels", 8))), "model.encoder.stem.chanels: unknown key",
                "channels", "deep");
    }

    @Test
    void aStringForAnIntNamesThePath() {
        String m = error(map("width", "wide"));
        assertTrue(m.startsWith("model.encoder.width: "), m);
        assertMentions(m, "\"wide\"", "int");
    }

    @Test
    void typeErrorsReadAsConfigErrorsNotJacksonAdvice() {
        assertEquals("model.encoder.width: Cannot coerce String value (\"wide\") to `int` value", error(map("width", "wide")));
        assertEquals("model.encoder.width: Cannot coerce Floating-point value (1.5) to `int` value",
                error(map("width", 1.5)));
        Map<String, Object> nul = new LinkedHashMap<>();
        nul.put("width", null);
        assertEquals("model.encoder.width: Cannot map `null` into type `int`", error(nul));
    }

    @Test
    void aQuotedNumberForAnIntIsStillAString() {
        assertTrue(error(map("width", "8")).startsWith("model.encoder.width: "));
    }

    @Test
    void aFractionForAnIntNamesThePath() {
        String m = error(map("width", 1.5));
        assertTrue(m.startsWith("model.encoder.width: "), m);
        assertMentions(m, "1.5", "int");
    }

    @Test
    void aStringForABooleanNamesThePath() {
        String m = error(map("pretrained", "yes"));
        assertTrue(m.startsWith("model.encoder.pretrained: "), m);
    }

    @Test
    void aNumberForABooleanNamesThePath() {
        assertTrue(error(map("pretrained", 1)).startsWith("model.encoder.pretrained: "));
    }

    @Test
    void aNullForAPrimitiveNamesThePath() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("width", null);
        assertTrue(error(m).startsWith("model.encoder.width: "), error(m));
    }

    @Test
    void aBadListElementNamesItsIndex() {
        String m = error(map("strides", List.of(1, "two")));
        assertTrue(m.startsWith("model.encoder.strides[1]: "), m);
    }

    @Test
    void aBlockWhereARecordIsExpectedNamesThePath() {
        assertTrue(error(map("stem", 3)).startsWith("model.encoder.stem: "), error(map("stem", 3)));
    }

    @Test
    void aBadEnumValueNamesThePathAndTheChoices() {
        String m = error(map("norm", "layer"));
        assertTrue(m.startsWith("model.encoder.norm: "), m);
        assertMentions(m, "BATCH", "GROUP");
    }

    @Test
    void aRangeCheckInTheCompactConstructorSurfacesWithThePath() {
        assertEquals("model.encoder: width must be >= 1, got 0", error(map("width", 0)));
    }

    @Test
    void aRangeCheckInANestedRecordNamesTheNestedPath() {
        assertEquals("model.encoder.stem: channels must be >= 1, got 0", error(map("stem", map("channels", 0))));
    }

    @Test
    void atTheTopLevelThePathIsJustTheKey() {
        assertEquals("widht: unknown key; known keys: width, lr, pretrained, weights, strides, stem, norm",
                assertThrows(ConfigException.class, () -> binder.bind(Encoder.class, DEFAULTS, map("widht", 1), ""))
                        .getMessage());
        // a range check of the top-level record itself has no path to name: the message alone
        assertEquals("width must be >= 1, got 0", assertThrows(ConfigException.class,
                () -> binder.bind(Encoder.class, DEFAULTS, map("width", 0), "")).getMessage());
        assertEquals("stem: channels must be >= 1, got 0", assertThrows(ConfigException.class,
                () -> binder.bind(Encoder.class, DEFAULTS, map("stem", map("channels", 0)), "")).getMessage());
    }

    @Test
    void toMapKeepsRecordOrderAndNestedValues() {
        Map<String, Object> m = binder.toMap(DEFAULTS);
        assertEquals(List.of("width", "lr", "pretrained", "weights", "strides", "stem", "norm"), List.copyOf(m.keySet()));
        assertEquals(64, m.get("width"));
        assertEquals(Map.of("channels", 32, "deep", false), m.get("stem"));
        assertEquals("BATCH", m.get("norm"));
        // and it binds back to the same record
        assertEquals(DEFAULTS, binder.bind(Encoder.class, DEFAULTS, m, "x"));
    }
}

package io.sslseg.api.method;

import io.sslseg.api.ComponentResolver;
import io.sslseg.api.data.ImageNormalization;
import io.sslseg.api.data.SampleList;
import io.sslseg.api.data.Split;
import io.sslseg.api.model.Decoder;
import io.sslseg.api.model.FeatureInfo;
import io.sslseg.api.nn.Optimizers;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

/**
 * What a loss term is built with: the model it attaches to, the class count, a way to build the components it
 * names in its own parameters (perturbations, consistency losses, augmentations), and the terms built before it.
 *
 * <p>A class with a builder, not a record: new facts arrive as new accessors (with builder defaults), so a plugin
 * compiled against an earlier API keeps linking and a test that builds a context keeps compiling.
 */
public final class LossTermContext {
    private final FeatureInfo features;
    private final Decoder mainDecoder;
    private final int numClasses;
    private final long totalIterations;
    private final ComponentResolver resolver;
    private final List<LossTerm> earlierTerms;
    private final Function<Split, SampleList> samples;
    private final Optimizers optimizers;
    private final Path workDir;
    private final ImageNormalization normalization;
    private final String keyPath;

    private LossTermContext(Builder b) {
        this.features = b.features;
        this.mainDecoder = b.mainDecoder;
        this.numClasses = b.numClasses;
        this.totalIterations = b.totalIterations;
        this.resolver = b.resolver;
        this.earlierTerms = List.copyOf(b.earlierTerms);
        this.samples = b.samples;
        this.optimizers = b.optimizers;
        this.workDir = b.workDir;
        this.normalization = b.normalization;
        this.keyPath = b.keyPath;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The encoder's stages (channels and strides). */
    public FeatureInfo features() {
        return features;
    }

    /** The main decoder as its plugin built it (CCT copies its head for the auxiliary decoders). */
    public Decoder mainDecoder() {
        return mainDecoder;
    }

    public int numClasses() {
        return numClasses;
    }

    /** The run's length, for ramp-ups. */
    public long totalIterations() {
        return totalIterations;
    }

    /** Builds the components the term names in its own parameters. */
    public ComponentResolver resolver() {
        return resolver;
    }

    /**
     * The terms listed before this one in {@code loss.terms}, in order; a term that builds on another (the weak-label
     * loss on CCT's auxiliary decoders) finds it here, so the config's order is the dependency order and a missing
     * dependency is an error at build time, not at step 1.
     */
    public List<LossTerm> earlierTerms() {
        return earlierTerms;
    }

    /**
     * The dataset's splits: a per-image memory is indexed by a split's ids; a term that needs draws of its own (a
     * discriminator's independently drawn ground-truth masks) loads them here.
     */
    public Function<Split, SampleList> samples() {
        return samples;
    }

    /** For blocks the term trains with an optimizer of its own. */
    public Optimizers optimizers() {
        return optimizers;
    }

    /**
     * A folder of the run reserved for this term's files (created by the term when it needs it), or null where there
     * is no run folder (tests): a term that needs one says so.
     */
    public Path workDir() {
        return workDir;
    }

    /** How the step's images are normalised (ImageNet statistics unless the builder says otherwise). */
    public ImageNormalization normalization() {
        return normalization;
    }

    /**
     * Where the term's block sits in the config ({@code loss.terms[1]}): the prefix of the key paths of the
     * components it builds from its own parameters, so their errors name the key a user must change.
     */
    public String keyPath() {
        return keyPath;
    }

    /** Every fact is optional to the builder; a term fails on the first one it needs and was not given. */
    public static final class Builder {
        private FeatureInfo features;
        private Decoder mainDecoder;
        private int numClasses;
        private long totalIterations;
        private ComponentResolver resolver;
        private List<LossTerm> earlierTerms = List.of();
        private Function<Split, SampleList> samples;
        private Optimizers optimizers;
        private Path workDir;
        private ImageNormalization normalization = ImageNormalization.IMAGENET;
        private String keyPath = "loss.terms";

        private Builder() {}

        public Builder features(FeatureInfo features) {
            this.features = features;
            return this;
        }

        public Builder mainDecoder(Decoder mainDecoder) {
            this.mainDecoder = mainDecoder;
            return this;
        }

        public Builder numClasses(int numClasses) {
            this.numClasses = numClasses;
            return this;
        }

        public Builder totalIterations(long totalIterations) {
            this.totalIterations = totalIterations;
            return this;
        }

        public Builder resolver(ComponentResolver resolver) {
            this.resolver = resolver;
            return this;
        }

        public Builder earlierTerms(List<LossTerm> earlierTerms) {
            this.earlierTerms = earlierTerms;
            return this;
        }

        public Builder samples(Function<Split, SampleList> samples) {
            this.samples = samples;
            return this;
        }

        public Builder optimizers(Optimizers optimizers) {
            this.optimizers = optimizers;
            return this;
        }

        public Builder workDir(Path workDir) {
            this.workDir = workDir;
            return this;
        }

        public Builder normalization(ImageNormalization normalization) {
            this.normalization = normalization;
            return this;
        }

        public Builder keyPath(String keyPath) {
            this.keyPath = keyPath;
            return this;
        }

        public LossTermContext build() {
            return new LossTermContext(this);
        }
    }
}

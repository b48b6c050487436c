package io.sslseg.platform.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.PairList;
import io.sslseg.api.ComponentFactory;
import io.sslseg.api.ComponentResolver;
import io.sslseg.api.Components;
import io.sslseg.api.Kind;
import io.sslseg.api.SslsegException;
import io.sslseg.api.data.ImageNormalization;
import io.sslseg.api.method.EmaTeacher;
import io.sslseg.api.method.LossTerm;
import io.sslseg.api.method.LossTermContext;
import io.sslseg.api.data.DatasetContext;
import io.sslseg.api.data.SegDataset;
import io.sslseg.api.data.Split;
import io.sslseg.api.data.Validatable;
import io.sslseg.api.data.ValidationReport;
import io.sslseg.api.loss.LossContext;
import io.sslseg.api.loss.SupervisedLoss;
import io.sslseg.api.model.Decoder;
import io.sslseg.api.model.DecoderContext;
import io.sslseg.api.model.Encoder;
import io.sslseg.api.model.EncoderContext;
import io.sslseg.api.nn.Layers;
import io.sslseg.api.Progress;
import io.sslseg.api.weak.PseudoLabeler;
import io.sslseg.platform.config.ConfigException;
import io.sslseg.platform.config.ConfigTree;
import io.sslseg.platform.config.ParamBinder;
import io.sslseg.platform.plugins.ComponentCatalog;
import io.sslseg.platform.plugins.ComponentCatalog.Resolved;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Set;
import java.util.List;
import java.util.Map;

/**
 * A config resolved against the loaded plugins: every component named, bound and checked before anything
 * is trained or written, so a bad key, an unknown component or an unusable dataset fails first.
 */
public final class Experiment {
    private final RunConfig config;
    private final ComponentCatalog catalog;
    private final Resolved<?> dataset;
    private final Resolved<?> encoder;
    private final Resolved<?> decoder;
    private final Resolved<?> supervisedLoss;
    private final List<Resolved<?>> terms = new ArrayList<>();
    private final SegDataset data;
    private final Map<String, Object> resolvedTree;
    /**
     * Components the terms built through {@link #resolver()}, by key path, with every parameter: merged into config.yaml
     * (merged, not replaced: a term's block may hold keys of its own beside the component's, as CCT's {@code count}).
     */
    private final Map<String, Map<String, Object>> nested = new java.util.concurrent.ConcurrentHashMap<>();
    private final Path cacheDir;

    private Experiment(RunConfig config, ComponentCatalog catalog, Path cacheDir) {
        this.config = config;
        this.catalog = catalog;
        this.cacheDir = cacheDir;
        this.dataset = catalog.resolve(Components.DATASET, config.dataset(), "dataset");
        this.encoder = catalog.resolve(Components.ENCODER, config.model().encoder(), "model.encoder");
        this.decoder = catalog.resolve(Components.DECODER, config.model().decoder(), "model.decoder");
        this.supervisedLoss = catalog.resolve(Components.SUPERVISED_LOSS, config.loss().supervised(), "loss.supervised");
        for (int i = 0; i < config.loss().terms().size(); i++) {
            terms.add(catalog.resolve(Components.LOSS_TERM, config.loss().terms().get(i), termKey(i)));
        }
        this.data = catalog.create(dataset, "dataset", new DatasetContext(cacheDir));
        if (data.split(Split.LABELED).size() == 0) {
            throw new ConfigException("dataset: the labelled split is empty; nothing to train on");
        }
        if (data.split(Split.VAL).size() == 0) {
            throw new ConfigException("dataset: the val split is empty; nothing to evaluate on");
        }
        ParamBinder binder = catalog.binder();
        Map<String, Object> tree = binder.toMap(config);
        tree.put("dataset", dataset.toConfig(binder));
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("encoder", encoder.toConfig(binder));
        model.put("decoder", decoder.toConfig(binder));
        tree.put("model", model);
        Map<String, Object> loss = new LinkedHashMap<>();
        loss.put("supervised", supervisedLoss.toConfig(binder));
        loss.put("terms", terms.stream().map(t -> t.toConfig(binder)).toList());
        tree.put("loss", loss);
        try {
            // recorded with every parameter when its plugin is installed; only weak-label runs build it, and they
            // report a problem with it before training (pseudoLabeler())
            tree.put("pseudoLabels", catalog.resolve(Components.PSEUDO_LABELER, config.pseudoLabels(), "pseudoLabels")
                    .toConfig(binder));
        } catch (ConfigException e) {
            tree.put("pseudoLabels", config.pseudoLabels());
        }
        this.resolvedTree = tree;
    }

    /** Reads the merged config tree (defaults, file, overrides) into a checked experiment. */
    public static Experiment resolve(Map<String, Object> tree, ComponentCatalog catalog, Path cacheDir) {
        return new Experiment(bindRunConfig(catalog.binder(), tree), catalog, cacheDir);
    }

    /** Another config resolved against the same plugins (e.g. the run whose weights a new run starts from). */
    public Experiment withConfig(Map<String, Object> tree, String what) {
        try {
            return resolve(tree, catalog, cacheDir);
        } catch (ConfigException e) {
            throw new ConfigException(what + ": " + e.getMessage());
        }
    }

    /** The top-level config with its defaults, without touching plugins (threads must be known early). */
    public static RunConfig bindRunConfig(ParamBinder binder, Map<String, Object> tree) {
        return binder.bind(RunConfig.class, RunConfig.defaults(), tree, "");
    }

    /** Defaults, then the file (with its base chain), then {@code --set} overrides. */
    public static Map<String, Object> loadTree(ParamBinder binder, Path file, List<String> overrides) {
        return loadTree(binder, file, overrides, note -> { });
    }

    /** The same; {@code notes} hears what an override did besides setting its key (a component switched). */
    public static Map<String, Object> loadTree(ParamBinder binder, Path file, List<String> overrides,
            java.util.function.Consumer<String> notes) {
        Map<String, Object> tree = ConfigTree.mutableCopyOf(binder.toMap(RunConfig.defaults()));
        if (file != null) {
            tree = ConfigTree.mergeMaps(tree, ConfigTree.load(file));
        }
        for (String set : overrides) {
            String note = ConfigTree.set(tree, set);
            if (!note.isEmpty()) {
                notes.accept(note);
            }
        }
        return tree;
    }

    public RunConfig config() {
        return config;
    }

    public SegDataset data() {
        return data;
    }

    public int numClasses() {
        return data.info().numClasses();
    }

    /**
     * The config as config.yaml records it: every component with all its parameters, the components that other
     * components name (CCT's perturbations, a method's augmentations) included once the model was built
     * ({@link #checkBuild}).
     */
    public String resolvedYaml() {
        Map<String, Object> tree = ConfigTree.mutableCopyOf(resolvedTree);
        new java.util.TreeMap<>(nested).forEach((keyPath, block) -> ConfigTree.mergeAt(tree, keyPath, block));
        return ConfigTree.toYaml(tree);
    }

    /** Scans the dataset files the run will read, when the dataset can. */
    public ValidationReport validateData(Progress progress) {
        if (data instanceof Validatable v) {
            return v.validate(progress);
        }
        return new ValidationReport(List.of(), List.of(), List.of());
    }

    public SupervisedLoss supervisedLoss() {
        return catalog.create(supervisedLoss, "loss.supervised", new LossContext(numClasses()));
    }

    private static String termKey(int i) {
        return "loss.terms[" + i + "]";
    }

    /** The splits the loss terms draw from besides the labelled one. */
    public Set<Split> extraSplits(List<LossTerm> built) {
        Set<Split> splits = EnumSet.noneOf(Split.class);
        for (int i = 0; i < built.size(); i++) {
            for (Split s : built.get(i).splits()) {
                if (s != Split.LABELED && data.split(s).size() == 0) {
                    throw new ConfigException(termKey(i) + " (" + config.loss().terms().get(i).get("type") + "): needs the "
                            + s.name().toLowerCase() + " split, but the dataset has none (dataset." + s.name().toLowerCase()
                            + " or the dataset's split lists)");
                }
                splits.add(s);
            }
        }
        splits.remove(Split.LABELED);
        return splits;
    }

    /**
     * The network and the loss terms, initialised, with every trainable parameter under a stable name.
     *
     * @param teacher the EMA teacher a term asked for, or null
     * @param blocks what a checkpoint holds, in order: the network, the terms' blocks, then the teacher's network
     */
    public record Built(SegmentationNet net, List<LossTerm> terms, TeacherNet teacher, List<Block> blocks,
            PairList<String, Parameter> parameters, String evalModel) {
        /** Trainable parameters of the network and of the loss terms' own blocks (the teacher has none). */
        public long trainableParameters() {
            return blocks.stream().mapToLong(Layers::trainableParameterCount).sum();
        }

        /** The network that evaluation, the best checkpoint and export use ({@code eval.model}). */
        public SegmentationNet evaluated() {
            return RunConfig.Eval.TEACHER.equals(evalModel) ? teacher.net() : net;
        }
    }

    /** A built model with its optimizer and its training step: what a run, a benchmark and a test train with. */
    public record Training(Built model, GroupedOptimizer optimizer, TrainingStep step) {}

    /**
     * The one place that wires a run's training: network, terms, teacher, the configured optimizer over the network's
     * and the terms' parameters (the encoder in its own learning-rate group), and the step.
     *
     * @param termsDir where each term gets a folder of its own, or null without a run folder
     */
    public Training training(NDManager root, Device device, Path termsDir) {
        return training(build(root, device, termsDir), root);
    }

    /** The optimizer and step for a model already built (tests inspect the model first). */
    public Training training(Built model, NDManager root) {
        GroupedOptimizer optimizer = GroupedOptimizer.create(config.train().optimizer(), root, model.parameters(),
                model.net().encoderParameters());
        return new Training(model, optimizer, step(model, model.terms(), optimizer, root));
    }

    /** A step over a built model with the given terms and optimizer (tests add probe terms to a run's). */
    public TrainingStep step(Built model, List<LossTerm> terms, GroupedOptimizer optimizer, NDManager root) {
        return new TrainingStep(model.net(), model.teacher(), supervisedLoss(), terms, optimizer, root, numClasses(),
                config.train().jointEncoderPass());
    }

    /**
     * Builds the whole model once on a throwaway manager (CPU) and drops it: every nested component a term names
     * (perturbations, augmentations) is bound, the splits the terms draw from are checked against the dataset and
     * {@code eval.model} against the teacher the terms declare. {@code train} calls it before it writes a run folder,
     * so these errors leave nothing behind.
     */
    public void checkBuild() {
        Path scratch;
        try {
            scratch = java.nio.file.Files.createTempDirectory("sslseg-check-");
        } catch (java.io.IOException e) {
            throw new SslsegException("cannot create a temporary folder: " + e.getMessage());
        }
        try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            Built b = build(m, Device.cpu(), scratch.resolve("terms"));
            extraSplits(b.terms());
            if (!pseudoLabeledSplits(b.terms()).isEmpty()) {
                pseudoLabeler(); // the component that will make them: named and bound now
            }
        } finally {
            io.sslseg.api.data.voc.VocWriter.deleteTree(scratch);
        }
    }

    /**
     * The extra splits whose samples the terms need with pixel pseudo-labels ({@link LossTerm#pseudoLabeled}); only
     * the weak split has tags to make them from.
     */
    public Set<Split> pseudoLabeledSplits(List<LossTerm> built) {
        Set<Split> splits = EnumSet.noneOf(Split.class);
        for (int i = 0; i < built.size(); i++) {
            for (Split s : built.get(i).pseudoLabeled()) {
                if (s != Split.WEAK) {
                    throw new ConfigException(termKey(i) + ": asks for pseudo-labels on the " + s.name().toLowerCase()
                            + " split; only the weak split has image-level tags to make them from");
                }
                if (!built.get(i).splits().contains(s)) {
                    throw new ConfigException(termKey(i) + ": asks for pseudo-labels on a split it does not draw");
                }
                splits.add(s);
            }
        }
        return splits;
    }

    /** Builds the components a component names in its own parameters. */
    public ComponentResolver resolver() {
        return new ComponentResolver() {
            @Override
            public <C, T> T build(Kind<? extends ComponentFactory<?, C, T>> kind, Object block, String keyPath, C ctx) {
                Resolved<?> r = catalog.resolve(kind, block, keyPath);
                nested.put(keyPath, r.toConfig(catalog.binder()));
                return catalog.create(r, keyPath, ctx);
            }
        };
    }

    /** The component that turns the weak split's tags into pixel pseudo-labels ({@code pseudoLabels:}). */
    public PseudoLabeler pseudoLabeler() {
        return catalog.build(Components.PSEUDO_LABELER, config.pseudoLabels(), "pseudoLabels", numClasses());
    }

    /** Builds the network and the loss terms for a run without a folder (benchmarks, tests). */
    public Built build(NDManager manager, Device device) {
        return build(manager, device, null);
    }

    /**
     * Builds the network and the loss terms (with their own blocks) for training.
     *
     * @param termsDir where each term gets a folder of its own ({@code term0}, ...), or null without a run folder
     */
    public Built build(NDManager manager, Device device, Path termsDir) {
        SegmentationNet net = buildNet(manager, device);
        List<LossTerm> built = new ArrayList<>();
        List<Block> blocks = new ArrayList<>(List.of(net));
        PairList<String, Parameter> params = new PairList<>();
        net.getParameters().forEach(p -> params.add("net." + p.getKey(), p.getValue()));
        Shape crop = new Shape(config.extraBatchSize(), 3, config.train().augment().crop(), config.train().augment().crop());
        EmaTeacher teacherSpec = null;
        String teacherKey = null;
        for (int i = 0; i < terms.size(); i++) {
            LossTermContext context = LossTermContext.builder().features(net.features())
                    .mainDecoder(net.decoderComponent()).numClasses(numClasses())
                    .totalIterations(config.train().iterations()).resolver(resolver()).earlierTerms(built)
                    .samples(data::split).optimizers(GroupedOptimizer.factory(manager))
                    .workDir(termsDir == null ? null : termsDir.resolve("term" + i))
                    .normalization(ImageNormalization.IMAGENET).keyPath(termKey(i)).build();
            LossTerm term = catalog.create(terms.get(i), termKey(i), context);
            term.initialize(manager, crop);
            for (var b : term.blocks()) {
                blocks.add(b.getValue());
                String prefix = "term" + i + "." + b.getKey() + ".";
                b.getValue().getParameters().forEach(p -> params.add(prefix + p.getKey(), p.getValue()));
            }
            EmaTeacher wanted = term.teacher();
            if (wanted != null) {
                if (teacherSpec != null && !teacherSpec.equals(wanted)) {
                    throw new ConfigException(termKey(i) + ": asks for an EMA teacher with decay " + wanted.decay() + ", but "
                            + teacherKey + " asks for decay " + teacherSpec.decay() + "; a run has one teacher");
                }
                teacherSpec = wanted;
                teacherKey = termKey(i);
            }
            built.add(term);
        }
        String evalModel = config.eval().model();
        if (RunConfig.Eval.TEACHER.equals(evalModel) && teacherSpec == null) {
            throw new ConfigException("eval.model: teacher, but no loss term in loss.terms keeps an EMA teacher"
                    + " (use eval.model: student, or a method with a teacher)");
        }
        TeacherNet teacher = null;
        if (teacherSpec != null) {
            teacher = new TeacherNet(net, buildNet(manager, device), teacherSpec);
            blocks.add(teacher.net());
        }
        return new Built(net, built, teacher, blocks, params, evalModel);
    }

    /** Builds and initialises the network on {@code device} with the engine seeded from the config. */
    public SegmentationNet buildNet(NDManager manager, Device device) {
        Engine.getEngine("PyTorch").setRandomSeed((int) config.seed());
        Encoder enc = catalog.create(encoder, "model.encoder", new EncoderContext(3));
        Decoder dec = catalog.create(decoder, "model.decoder", new DecoderContext(enc.features(), numClasses()));
        SegmentationNet net = new SegmentationNet(enc, dec, numClasses());
        int stride = net.outputStride();
        int crop = config.train().augment().crop();
        if (crop % stride != 0) {
            throw new ConfigException("train.augment.crop: " + crop + " is not a multiple of the encoder's output stride "
                    + stride);
        }
        net.initialize(manager, DataType.FLOAT32, new Shape(1, 3, crop, crop));
        return net;
    }

    /** GPU when DJL sees one (unless the config says cpu), else CPU; multi-GPU is not supported (DJL #2459). */
    public static Device device(RunConfig.Runtime runtime) {
        int gpus = Engine.getEngine("PyTorch").getGpuCount();
        return switch (runtime.device()) {
            case "cpu" -> Device.cpu();
            case "gpu" -> {
                if (gpus == 0) {
                    throw new ConfigException("runtime.device: gpu requested but the PyTorch engine sees no GPU");
                }
                yield Device.gpu(0);
            }
            default -> gpus > 0 ? Device.gpu(0) : Device.cpu();
        };
    }
}

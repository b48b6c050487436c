package io.sslseg.platform.train;

import io.sslseg.platform.data.AugmentConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The whole run, as config.yaml holds it. Component blocks ({@code dataset}, {@code model.encoder}, ...)
 * stay maps here: each is bound to its own component's parameter record once the plugins are loaded.
 * {@code pseudoLabels} names the pseudo-labeller; it is built only by runs whose loss terms draw the weak split.
 * {@code initFrom}, when set, is the checkpoint whose network weights a fresh run starts from (continual training).
 */
public record RunConfig(
        String name,
        long seed,
        Map<String, Object> dataset,
        Model model,
        Loss loss,
        Map<String, Object> pseudoLabels,
        Train train,
        Eval eval,
        Runtime runtime,
        String initFrom) {

    public RunConfig {
        initFrom = initFrom == null ? "" : initFrom;
        if (name == null || !name.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("name must be letters, digits, '.', '_' or '-' (it names the run folder)");
        }
    }

    public record Model(Map<String, Object> encoder, Map<String, Object> decoder) {}

    /**
     * @param supervised the loss on labelled pixels
     * @param terms further summands of the objective (e.g. CCT's consistency), each a component block
     */
    public record Loss(Map<String, Object> supervised, List<Map<String, Object>> terms) {
        public Loss {
            terms = terms == null ? List.of() : terms;
        }
    }

    /**
     * @param encoderLrMultiplier the encoder's lr relative to the head's; the reference's 0.1 assumes an
     *     ImageNet-pretrained encoder, from scratch it must be 1 (fashion-scenes.md, measured notes)
     */
    public record Optimizer(String type, double lr, double encoderLrMultiplier, double momentum,
            double weightDecay, double beta1, double beta2, double eps, double polyPower) {
        public Optimizer {
            if (!type.equals("sgd") && !type.equals("adamw")) {
                throw new IllegalArgumentException("type must be 'sgd' or 'adamw', got '" + type + "'");
            }
            if (!(lr > 0) || !(encoderLrMultiplier >= 0) || !(weightDecay >= 0) || !(polyPower >= 0)) {
                throw new IllegalArgumentException("lr must be > 0; encoderLrMultiplier, weightDecay, polyPower >= 0");
            }
            if (momentum < 0 || momentum >= 1 || beta1 < 0 || beta1 >= 1 || beta2 < 0 || beta2 >= 1 || !(eps > 0)) {
                throw new IllegalArgumentException("momentum, beta1, beta2 must be in [0, 1) and eps > 0");
            }
        }
    }

    /**
     * @param iterations optimizer steps in the whole run (the poly schedule's horizon)
     * @param unlabeledBatchSize images per unlabelled or weak batch (0 = same as batchSize)
     * @param prefetch batches loaded ahead on background threads (0 = load on the training thread)
     * @param jointEncoderPass encode the step's labelled batch together with the batches whose encoder pass the loss
     *     terms read (CCT, Seg-GAN, temporal ensembling; not the views FixMatch, UniMatch or Mean Teacher encode
     *     themselves), where their images have the same size: one pass over their concatenation instead of one each,
     *     fewer and larger kernels (6 % off CCT's reference step on 2 cores), but batch norm then normalises with
     *     statistics over all of them, as UniMatch's reference does, so a run changes; off by default
     */
    public record Train(int iterations, int batchSize, int unlabeledBatchSize, Optimizer optimizer,
            AugmentConfig augment, int logEvery, int evalEvery, int checkpointEvery, int prefetch,
            boolean jointEncoderPass) {
        public Train {
            if (iterations < 1 || batchSize < 1 || unlabeledBatchSize < 0) {
                throw new IllegalArgumentException("iterations and batchSize must be >= 1, unlabeledBatchSize >= 0");
            }
            if (logEvery < 1 || evalEvery < 1 || checkpointEvery < 1 || prefetch < 0) {
                throw new IllegalArgumentException("logEvery, evalEvery, checkpointEvery must be >= 1 and prefetch >= 0");
            }
        }
    }

    /**
     * @param batchSize images per forward pass at evaluation (full images, single scale)
     * @param model which network validation, the best checkpoint and export use: {@code student} (the one trained),
     *     or {@code teacher} (the EMA teacher a loss term keeps)
     */
    public record Eval(int batchSize, String model) {
        public static final String STUDENT = "student";
        public static final String TEACHER = "teacher";

        public Eval {
            if (batchSize < 1) {
                throw new IllegalArgumentException("batchSize must be >= 1");
            }
            if (!STUDENT.equals(model) && !TEACHER.equals(model)) {
                throw new IllegalArgumentException("model must be student or teacher, got '" + model + "'");
            }
        }
    }

    /**
     * @param threads PyTorch intra-op threads; 0 = the number of available cores
     * @param device auto (GPU when DJL sees one), cpu or gpu
     */
    public record Runtime(int threads, String device) {
        public Runtime {
            if (threads < 0) {
                throw new IllegalArgumentException("threads must be >= 0");
            }
            if (!device.equals("auto") && !device.equals("cpu") && !device.equals("gpu")) {
                throw new IllegalArgumentException("device must be auto, cpu or gpu, got '" + device + "'");
            }
        }
    }

    /** Batch size of the extra (unlabelled, weak) streams. */
    public int extraBatchSize() {
        return train.unlabeledBatchSize() == 0 ? train.batchSize() : train.unlabeledBatchSize();
    }

    /**
     * The defaults every config starts from: the optimizer, schedule and augmentation of a supervised run that learns
     * from scratch on 2 cores. They name no plugin: a config names its dataset, encoder and decoder (and
     * {@code pseudoLabels} where a loss term asks for pseudo-labels); a missing one is an error that lists what the
     * installed plugins offer. {@code ce} is the platform's own loss.
     */
    public static RunConfig defaults() {
        return new RunConfig("run", 42,
                new LinkedHashMap<>(),
                new Model(new LinkedHashMap<>(), new LinkedHashMap<>()),
                new Loss(block("ce"), List.of()),
                new LinkedHashMap<>(),
                new Train(1500, 16, 0,
                        new Optimizer("adamw", 1e-3, 1.0, 0.9, 1e-4, 0.9, 0.999, 1e-8, 0.9),
                        AugmentConfig.defaults(), 10, 250, 250, 4, false),
                new Eval(16, Eval.STUDENT),
                new Runtime(0, "auto"), "");
    }

    private static Map<String, Object> block(String type) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", type);
        return m;
    }
}

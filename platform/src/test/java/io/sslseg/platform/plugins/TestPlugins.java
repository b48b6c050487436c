package io.sslseg.platform.plugins;

import io.sslseg.testkit.PluginJarBuilder;
import java.util.Arrays;
import java.util.stream.Collectors;

/** Sources of small plugins for the plugin-system tests; each plugin gets its own package. */
final class TestPlugins {
    private TestPlugins() {}

    /**
     * A plugin whose module registers one supervised loss per name, all built by {@code <pkg>.ScaledLoss}
     * (params: {@code gamma} (>= 0, default 2.0), {@code warmup} (default 0), {@code reduction} (default "mean")).
     */
    static PluginJarBuilder lossPlugin(String id, String pkg, String... names) {
        String registrations = Arrays.stream(names)
                .map(n -> "Components.register(binder(), Components.SUPERVISED_LOSS, \"" + n + "\").toInstance(new "
                        + pkg + ".ScaledLoss(\"" + n + "\"));")
                .collect(Collectors.joining("\n        "));
        return PluginJarBuilder.plugin(id)
                .java(pkg + ".LossModule", PluginJarBuilder.moduleSource(pkg + ".LossModule", registrations))
                .java(pkg + ".ScaledLoss", scaledLoss(pkg));
    }

    static String scaledLoss(String pkg) {
        return """
                package %s;

                import ai.djl.ndarray.NDArray;
                import io.sslseg.api.loss.LossContext;
                import io.sslseg.api.loss.SupervisedLoss;
                import io.sslseg.api.loss.SupervisedLossFactory;
                import io.sslseg.api.loss.TrainingClock;

                public final class ScaledLoss implements SupervisedLossFactory<ScaledLoss.Params> {
                    public record Params(double gamma, int warmup, String reduction) {
                        public Params {
                            if (gamma < 0) {
                                throw new IllegalArgumentException("gamma must be >= 0, got " + gamma);
                            }
                        }
                    }

                    /** What the plugin's code links against, to compare with the platform's classes. */
                    public static Class<?>[] linkedClasses() {
                        return new Class<?>[] {NDArray.class, com.google.inject.Injector.class, SupervisedLoss.class,
                                org.pf4j.Extension.class};
                    }

                    private final String name;

                    public ScaledLoss(String name) {
                        this.name = name;
                    }

                    @Override
                    public Class<Params> paramsType() {
                        return Params.class;
                    }

                    @Override
                    public Params defaults() {
                        return new Params(2.0, 0, "mean");
                    }

                    @Override
                    public String summary() {
                        return "test loss " + name;
                    }

                    @Override
                    public SupervisedLoss create(Params params, LossContext context) {
                        return new Impl(params, context.numClasses());
                    }

                    public static final class Impl implements SupervisedLoss {
                        public final Params params;
                        public final int numClasses;

                        Impl(Params params, int numClasses) {
                            this.params = params;
                            this.numClasses = numClasses;
                        }

                        @Override
                        public NDArray compute(NDArray logits, NDArray labels, TrainingClock clock) {
                            return io.sslseg.api.nn.ScalarOps.mul(logits.mean(), params.gamma());
                        }
                    }
                }
                """.formatted(pkg);
    }

    /** A plugin whose module's configure() throws. */
    static PluginJarBuilder throwingModule(String id, String pkg) {
        return PluginJarBuilder.plugin(id)
                .java(pkg + ".LossModule", PluginJarBuilder.moduleSource(pkg + ".LossModule",
                        "if (true) { throw new IllegalStateException(\"boom in " + id + "\"); }"));
    }

    /** A plugin whose {@code @Extension} class throws from its constructor. */
    static PluginJarBuilder uncreatableExtension(String id, String pkg) {
        String src = """
                package %s;

                @org.pf4j.Extension
                public class BrokenModule extends com.google.inject.AbstractModule implements io.sslseg.api.SslsegModule {
                    public BrokenModule() {
                        throw new IllegalStateException("constructor of %s fails");
                    }

                    @Override
                    protected void configure() {}
                }
                """.formatted(pkg, id);
        return PluginJarBuilder.plugin(id).java(pkg + ".BrokenModule", src);
    }
}

package io.sslseg.platform.cli;

import ai.djl.engine.Engine;
import io.sslseg.api.SslsegException;
import io.sslseg.platform.builtin.BuiltInModule;
import io.sslseg.platform.config.ParamBinder;
import io.sslseg.platform.console.StderrFilter;
import io.sslseg.platform.plugins.PluginProblem;
import io.sslseg.platform.plugins.PluginSystem;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sslseg}: the command line. Errors print one line (a stack trace only with --verbose). */
@Command(name = "sslseg", mixinStandardHelpOptions = true, versionProvider = SslsegCli.Version.class,
        description = "Semi-supervised semantic segmentation experiments; every option is a plugin.",
        subcommands = {TrainCommand.class, EvalCommand.class, PluginsCommand.class, DataCommand.class,
            BenchCommand.class, PseudoLabelsCommand.class, CompareCommand.class, ExportCommand.class, PredictCommand.class,
            RunsCommand.class, ReportCommand.class, CheckCommand.class, CompletionCommand.class,
            CommandLine.HelpCommand.class})
public final class SslsegCli {
    /** Exit code of a run that failed for a reason the message explains (bad config, data, plugin, NaN). */
    public static final int EXIT_FAILED = 1;
    /** Exit code of a bug: an exception the platform did not expect. */
    public static final int EXIT_INTERNAL = 3;

    @Option(names = "--plugins", paramLabel = "DIR", scope = CommandLine.ScopeType.INHERIT,
            description = "Plugins folder (default: the distribution's plugins/).")
    Path pluginsDir;

    @Option(names = "--accept-changes", scope = CommandLine.ScopeType.INHERIT,
            description = "Use a run although its dataset or plugins differ from those it recorded (resume, eval,"
                    + " export, predict, report); each difference is printed.")
    boolean acceptChanges;

    @Option(names = "--verbose", scope = CommandLine.ScopeType.INHERIT,
            description = "Print stack traces and library logs.")
    boolean verbose;

    private final ParamBinder binder = new ParamBinder();
    private PluginSystem plugins;
    final PrintStream out;
    final PrintStream err;

    SslsegCli(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        int code = run(args, System.out, System.err);
        System.out.flush();
        StderrFilter.drain();
        System.exit(code);
    }

    /** Runs one command; returns its exit code (used by tests in-process). */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        SslsegCli cli = new SslsegCli(out, err);
        CommandLine cmd = new CommandLine(cli);
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        cmd.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            boolean expected = e instanceof SslsegException;
            err.println("sslseg: error: " + (expected ? e.getMessage() : e.toString()));
            if (cli.verbose || !expected) {
                e.printStackTrace(err);
            }
            return expected ? EXIT_FAILED : EXIT_INTERNAL;
        });
        if (List.of(args).contains("--verbose")) {
            verboseLogging();
        } else {
            // Guice logs a failing plugin module's stack trace through java.util.logging; the problem is reported anyway
            java.util.logging.Logger.getLogger("com.google.inject").setLevel(java.util.logging.Level.OFF);
        }
        try {
            return cmd.execute(args);
        } finally {
            cli.close();
        }
    }

    /** --verbose: library logs at DEBUG for sslseg, INFO for DJL and PF4J. */
    private static void verboseLogging() {
        if (org.slf4j.LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext ctx) {
            ctx.getLogger("io.sslseg").setLevel(ch.qos.logback.classic.Level.DEBUG);
            ctx.getLogger("ai.djl").setLevel(ch.qos.logback.classic.Level.INFO);
            ctx.getLogger("org.pf4j").setLevel(ch.qos.logback.classic.Level.INFO);
        }
    }

    ParamBinder binder() {
        return binder;
    }

    /**
     * Starts the PyTorch engine on this thread (DJL discovers engines once, through the thread's context
     * class loader) before any plugin code runs. Threads must be fixed before the engine starts.
     */
    void startEngine(int threads) {
        if (System.getProperty("ai.djl.pytorch.num_threads") == null) {
            int n = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
            System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(n));
        }
        if (System.getProperty("ai.djl.pytorch.num_interop_threads") == null) {
            System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        }
        // some DJL internals use the default engine whatever the caller names; ONNX Runtime is on the class path too
        if (System.getProperty("ai.djl.default_engine") == null && System.getenv("DJL_DEFAULT_ENGINE") == null) {
            System.setProperty("ai.djl.default_engine", "PyTorch");
        }
        if (System.getenv("DJL_OFFLINE") == null && System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true"); // never download anything at run time
        }
        try {
            Engine.getEngine("PyTorch");
        } catch (RuntimeException | UnsatisfiedLinkError e) {
            throw new SslsegException("the PyTorch engine did not start: " + e.getMessage()
                    + " (pytorch-native-cpu and pytorch-jni must be in lib/)", e);
        }
    }

    /** Loads the plugins once; problems are printed as warnings, components of healthy plugins stay usable. */
    PluginSystem plugins() {
        if (plugins == null) {
            plugins = PluginSystem.load(pluginsFolder(), List.of(new BuiltInModule()));
            for (PluginProblem p : plugins.catalog().problems()) {
                err.println("sslseg: warning: " + p);
            }
            for (String clash : plugins.catalog().clashMessages()) {
                err.println("sslseg: warning: " + clash);
            }
        }
        return plugins;
    }

    Path pluginsFolder() {
        if (pluginsDir != null) {
            return pluginsDir;
        }
        String home = System.getProperty("sslseg.home");
        return home != null ? Path.of(home, "plugins") : Path.of("plugins");
    }

    /** Where datasets may cache derived data. */
    static Path cacheDir() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        return xdg != null && !xdg.isBlank() ? Path.of(xdg, "sslseg")
                : Path.of(System.getProperty("user.home"), ".cache", "sslseg");
    }

    private void close() {
        if (plugins != null) {
            plugins.close();
        }
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"sslseg " + io.sslseg.api.ApiVersion.VERSION};
        }
    }

    /** Compares a run's recorded dataset and plugins with what its config gives now ({@link RunRecord}). */
    void checkRecord(io.sslseg.platform.run.RunFolder folder, io.sslseg.platform.train.Experiment experiment) {
        io.sslseg.platform.run.RunRecord.check(folder, experiment.data().info().identity(),
                io.sslseg.platform.run.RunFolder.pluginsLock(plugins().plugins()), acceptChanges)
                .forEach(d -> err.println("sslseg: warning: " + folder.dir() + ": " + d + " (accepted: --accept-changes)"));
    }
}

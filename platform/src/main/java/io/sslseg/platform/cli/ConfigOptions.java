package io.sslseg.platform.cli;

import io.sslseg.platform.config.ParamBinder;
import io.sslseg.platform.train.Experiment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/** {@code --config FILE} and {@code --set KEY=VALUE}, for every command that builds a run from a config. */
final class ConfigOptions {
    @Option(names = "--config", paramLabel = "FILE",
            description = "Run config (YAML); 'base:' inherits another file. Default: the built-in defaults.")
    Path config;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override one config value, e.g. train.iterations=200.")
    List<String> overrides = new ArrayList<>();

    boolean given() {
        return config != null || !overrides.isEmpty();
    }

    /** Defaults, then the file, then the overrides; what an override switched is told on {@code err}. */
    Map<String, Object> tree(ParamBinder binder, java.io.PrintStream err) {
        return Experiment.loadTree(binder, config, overrides, note -> err.println("sslseg: note: " + note));
    }
}

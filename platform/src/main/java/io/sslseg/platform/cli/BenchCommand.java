package io.sslseg.platform.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** Speed and memory measurements; numbers belong here, not in timed unit tests. */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Measure training-step, data-pipeline and inference speed.",
        subcommands = {BenchTrainStepCommand.class, BenchDataCommand.class, BenchInferCommand.class})
final class BenchCommand {
    @ParentCommand
    SslsegCli cli;
}

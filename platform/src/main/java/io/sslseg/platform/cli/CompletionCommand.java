package io.sslseg.platform.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "completion", mixinStandardHelpOptions = true,
        description = {"Print a shell completion script for sslseg's commands and options.",
            "Load it in this shell with `source <(sslseg completion bash)`, or install it with `sslseg completion bash"
                + " > ~/.local/share/bash-completion/completions/sslseg`.",
            "zsh loads the same script after `autoload -U +X bashcompinit && bashcompinit`."})
final class CompletionCommand implements Callable<Integer> {
    @ParentCommand
    SslsegCli cli;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "SHELL", description = "The shell: bash (zsh loads the same script).")
    String shell;

    @Override
    public Integer call() {
        if (!shell.equals("bash") && !shell.equals("zsh")) {
            throw new io.sslseg.api.SslsegException("completion: no script for the shell '" + shell
                    + "'; bash and zsh are supported");
        }
        // picocli writes the script from the command model: every subcommand, option and fixed value, as they are now
        cli.out.print(AutoComplete.bash("sslseg", spec.root().commandLine()));
        return 0;
    }
}

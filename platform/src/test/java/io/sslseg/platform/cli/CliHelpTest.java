package io.sslseg.platform.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Help a user reads: every command's summary (the line the parent's command list shows) and every paragraph of its
 * description is a whole sentence, and every option's value is labelled in words, not with a Java field's name.
 */
class CliHelpTest {
    @Test
    void everyHelpTextIsWholeSentencesWithWordsForLabels() {
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream());
        CommandLine root = new CommandLine(new SslsegCli(quiet, quiet));
        List<String> problems = new ArrayList<>();
        check(root.getCommandSpec(), problems);
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    private static void check(CommandSpec spec, List<String> problems) {
        String name = spec.qualifiedName();
        for (String paragraph : spec.usageMessage().description()) {
            if (!endsASentence(paragraph)) {
                problems.add(name + ": description paragraph cut mid-sentence: '" + paragraph + "'");
            }
        }
        for (ArgSpec arg : spec.args()) {
            String what = arg.isOption() ? ((CommandLine.Model.OptionSpec) arg).longestName() : arg.paramLabel();
            if (!endsASentence(String.join(" ", arg.description()))) {
                problems.add(name + " " + what + ": description is not a whole sentence: '"
                        + String.join(" ", arg.description()) + "'");
            }
            boolean takesValue = arg.isPositional() || arg.typeInfo().getType() != boolean.class;
            if (takesValue && arg.paramLabel().startsWith("<")) {
                problems.add(name + " " + what + ": value labelled with the field name " + arg.paramLabel());
            }
        }
        spec.subcommands().values().forEach(sub -> {
            if (sub.getCommandSpec() != spec && !sub.getCommandName().equals("help")) {
                check(sub.getCommandSpec(), problems);
            }
        });
    }

    private static boolean endsASentence(String text) {
        String t = text.strip();
        return t.isEmpty() || t.endsWith(".") || t.endsWith(")") || t.endsWith(".`") || t.endsWith("`.");
    }
}

package io.sslseg.platform.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sslseg.api.SslsegException;
import io.sslseg.platform.console.ConsoleProgress;
import io.sslseg.platform.run.RunOverview;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "runs", mixinStandardHelpOptions = true,
        description = {"List the runs in a folder, one line each: name, method, encoder, labelled images, status (done,"
                + " running, interrupted, crashed, failed), steps, best val mIoU and training time.",
            "The cells of compare outputs in the folder are listed too."})
final class RunsCommand implements Callable<Integer> {
    @ParentCommand
    SslsegCli cli;

    @Parameters(paramLabel = "DIR", arity = "0..1", defaultValue = "runs", description = "The folder (default: runs).")
    Path dir;

    @Option(names = "--json", description = "One JSON array of objects instead of the table.")
    boolean json;

    @Override
    public Integer call() {
        if (!Files.isDirectory(dir)) {
            throw new SslsegException(dir + ": no such folder");
        }
        List<RunOverview> runs = new ArrayList<>();
        try {
            for (Path run : RunOverview.find(dir)) {
                runs.add(RunOverview.of(dir, run));
            }
        } catch (IOException e) {
            throw new SslsegException(dir + ": cannot list: " + e.getMessage());
        }
        if (json) {
            printJson(runs);
        } else if (runs.isEmpty()) {
            cli.out.println("no runs in " + dir);
        } else {
            printTable(runs);
        }
        return 0;
    }

    private void printTable(List<RunOverview> runs) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"NAME", "METHOD", "ENCODER", "LABELS", "STATUS", "STEPS", "BEST mIoU", "TIME"});
        for (RunOverview r : runs) {
            rows.add(new String[] {r.name(), r.method(), r.encoder(), r.labels(), r.status(),
                (r.steps() < 0 ? "-" : Long.toString(r.steps())) + (r.iterations() < 0 ? "" : "/" + r.iterations()),
                Double.isNaN(r.bestMiou()) ? "-" : String.format(Locale.ROOT, "%.4f", r.bestMiou()),
                Double.isNaN(r.seconds()) ? "-" : ConsoleProgress.formatDuration(r.seconds())});
        }
        int[] width = new int[rows.get(0).length];
        rows.forEach(row -> {
            for (int i = 0; i < row.length; i++) {
                width[i] = Math.max(width[i], row[i].length());
            }
        });
        for (String[] row : rows) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                sb.append(i == 0 ? "" : "  ").append(i == row.length - 1 ? row[i] : pad(row[i], width[i]));
            }
            cli.out.println(sb.toString().stripTrailing());
        }
    }

    private static String pad(String s, int width) {
        return s + " ".repeat(width - s.length());
    }

    private void printJson(List<RunOverview> runs) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (RunOverview r : runs) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", r.name());
            m.put("dir", r.dir().toAbsolutePath().toString());
            m.put("method", r.method());
            m.put("encoder", r.encoder());
            m.put("labels", r.labels());
            m.put("status", r.status());
            m.put("steps", r.steps() < 0 ? null : r.steps());
            m.put("iterations", r.iterations() < 0 ? null : r.iterations());
            m.put("best_miou", Double.isNaN(r.bestMiou()) ? null : r.bestMiou());
            m.put("seconds", Double.isNaN(r.seconds()) ? null : r.seconds());
            out.add(m);
        }
        try {
            cli.out.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(out));
        } catch (JsonProcessingException e) {
            throw new SslsegException("cannot write the runs as JSON: " + e.getMessage());
        }
    }
}

package io.sslseg.platform.cli;

import io.sslseg.api.Components;
import io.sslseg.api.Kind;
import io.sslseg.platform.config.ConfigTree;
import io.sslseg.platform.plugins.ComponentCatalog;
import io.sslseg.platform.plugins.PluginInfo;
import io.sslseg.platform.plugins.PluginSystem;
import io.sslseg.api.SslsegException;
import java.lang.reflect.RecordComponent;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "plugins", mixinStandardHelpOptions = true, description = "Inspect the loaded plugins and components.",
        subcommands = {PluginsCommand.ListCommand.class, PluginsCommand.DescribeCommand.class})
final class PluginsCommand {
    @ParentCommand
    SslsegCli cli;

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Plugins, their components, and load problems.")
    static final class ListCommand implements Callable<Integer> {
        @ParentCommand
        PluginsCommand parent;

        @Override
        public Integer call() {
            SslsegCli cli = parent.cli;
            cli.startEngine(0);
            PluginSystem ps = cli.plugins();
            cli.out.println("plugins in " + cli.pluginsFolder() + ":");
            for (PluginInfo p : ps.plugins()) {
                cli.out.printf("  %-24s %-8s %s%n", p.id(), p.version(), p.jar().getFileName());
            }
            for (Kind<?> kind : Components.KINDS) {
                List<ComponentCatalog.Entry> entries = ps.catalog().entries(kind);
                cli.out.println(kind + " components:");
                for (ComponentCatalog.Entry e : entries) {
                    cli.out.printf("  %-20s %-24s %s%n", e.name(), "[" + e.pluginId() + "]", e.factory().summary());
                }
            }
            return 0;
        }
    }

    @Command(name = "describe", mixinStandardHelpOptions = true, description = "Components' parameters: type, default and what each means.")
    static final class DescribeCommand implements Callable<Integer> {
        @ParentCommand
        PluginsCommand parent;

        @Parameters(paramLabel = "NAME", arity = "1..*", description = "Component names, e.g. resnet18.")
        List<String> names;

        @Override
        public Integer call() {
            SslsegCli cli = parent.cli;
            cli.startEngine(0);
            List<ComponentCatalog.Entry> found = new java.util.ArrayList<>();
            for (String name : names) {
                List<ComponentCatalog.Entry> named = cli.plugins().catalog().named(name);
                if (named.isEmpty()) {
                    throw new SslsegException("no component named '" + name + "'; see 'sslseg plugins list'");
                }
                found.addAll(named);
            }
            for (ComponentCatalog.Entry e : found) {
                cli.out.println(e.kind() + " '" + e.name() + "' from plugin '" + e.pluginId() + "' (" + e.source() + ")");
                cli.out.println("  " + e.factory().summary());
                Map<String, Object> defaults = cli.binder().toMap(e.factory().defaults());
                Map<String, String> meaning = paramDocs(e.factory().paramsType());
                RecordComponent[] params = e.factory().paramsType().getRecordComponents();
                cli.out.println(params.length == 0 ? "  no parameters" : "  parameters:");
                for (RecordComponent rc : params) {
                    cli.out.printf("    %s (%s, default %s)%n", rc.getName(), typeName(rc),
                            ConfigTree.toFlowYaml(defaults.get(rc.getName())));
                    String text = meaning.getOrDefault(rc.getName(), "");
                    if (!text.isEmpty()) {
                        cli.out.println("        " + text);
                    }
                }
            }
            return 0;
        }
    }

    /** A parameter's type in words: int, double, text, list, map, yes/no. */
    private static String typeName(RecordComponent rc) {
        Class<?> t = rc.getType();
        if (t == String.class) {
            return "text";
        }
        if (t == boolean.class || t == Boolean.class) {
            return "true/false";
        }
        if (java.util.List.class.isAssignableFrom(t)) {
            return "list";
        }
        if (Map.class.isAssignableFrom(t)) {
            return "map";
        }
        return t.getSimpleName().toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * The @param lines of a parameters record's Javadoc, which the build wrote beside its class (module param-docs);
     * empty for a plugin built without that processor.
     */
    static Map<String, String> paramDocs(Class<?> type) {
        String pkg = type.getPackageName();
        String relative = pkg.isEmpty() ? type.getName() : type.getName().substring(pkg.length() + 1);
        try (java.io.InputStream in = type.getResourceAsStream(relative + ".paramdocs")) {
            if (in == null) {
                return Map.of();
            }
            java.util.Properties p = new java.util.Properties();
            p.load(new java.io.InputStreamReader(in, java.nio.charset.StandardCharsets.UTF_8));
            Map<String, String> out = new java.util.HashMap<>();
            p.forEach((k, v) -> out.put(k.toString(), v.toString()));
            return out;
        } catch (java.io.IOException e) {
            return Map.of();
        }
    }
}

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

    @Command(name = "describe", mixinStandardHelpOptions = true, description = "A component's parameters with their defaults.")
    static final class DescribeCommand implements Callable<Integer> {
        @ParentCommand
        PluginsCommand parent;

        @Parameters(paramLabel = "NAME", description = "Component name, e.g. resnet18.")
        String name;

        @Override
        public Integer call() {
            SslsegCli cli = parent.cli;
            cli.startEngine(0);
            List<ComponentCatalog.Entry> found = cli.plugins().catalog().named(name);
            if (found.isEmpty()) {
                throw new SslsegException("no component named '" + name + "'; see 'sslseg plugins list'");
            }
            for (ComponentCatalog.Entry e : found) {
                cli.out.println(e.kind() + " '" + e.name() + "' from plugin '" + e.pluginId() + "' (" + e.source() + ")");
                cli.out.println("  " + e.factory().summary());
                Map<String, Object> defaults = cli.binder().toMap(e.factory().defaults());
                cli.out.println("  parameters (type: default):");
                for (RecordComponent rc : e.factory().paramsType().getRecordComponents()) {
                    String value = ConfigTree.toFlowYaml(defaults.get(rc.getName()));
                    cli.out.printf("    %-22s %-10s %s%n", rc.getName(), rc.getType().getSimpleName(), value);
                }
            }
            return 0;
        }
    }
}

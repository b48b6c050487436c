package io.sslseg.platform.plugins;

import java.nio.file.Path;

/** A plugin jar that could not contribute its components, and why. */
public record PluginProblem(String pluginId, Path jar, String message) {
    @Override
    public String toString() {
        String who = pluginId == null ? "plugin jar " + jar : "plugin '" + pluginId + "' (" + jar + ")";
        return who + ": " + message;
    }
}

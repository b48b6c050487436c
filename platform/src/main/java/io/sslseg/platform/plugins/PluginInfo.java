package io.sslseg.platform.plugins;

import java.nio.file.Path;

/** A plugin that loaded: what plugins.lock records so a run can be reproduced. */
public record PluginInfo(String id, String version, Path jar, String sha256) {}

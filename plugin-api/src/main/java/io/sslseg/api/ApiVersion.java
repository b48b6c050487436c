package io.sslseg.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The version of this plugin API; a plugin's {@code Plugin-Requires} range is checked against it. */
public final class ApiVersion {
    public static final String VERSION = read();

    private ApiVersion() {}

    private static String read() {
        try (InputStream in = ApiVersion.class.getResourceAsStream("api-version.properties")) {
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version");
        } catch (IOException | NullPointerException e) {
            throw new UncheckedIOException(new IOException("plugin-api jar lacks api-version.properties", e));
        }
    }
}

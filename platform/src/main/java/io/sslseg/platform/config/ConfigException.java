package io.sslseg.platform.config;

import io.sslseg.api.SslsegException;

/** A config that cannot be used: the message starts with the file or key path at fault. */
public class ConfigException extends SslsegException {
    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}

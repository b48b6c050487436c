package io.sslseg.api;

/**
 * An error the user can act on: its message is printed as the one line the CLI shows, so it must name
 * the file, key, component or plugin at fault.
 */
public class SslsegException extends RuntimeException {
    public SslsegException(String message) {
        super(message);
    }

    public SslsegException(String message, Throwable cause) {
        super(message, cause);
    }
}

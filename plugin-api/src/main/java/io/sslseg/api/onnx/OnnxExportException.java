package io.sslseg.api.onnx;

import io.sslseg.api.SslsegException;

/** A network, or one of its blocks, that cannot be written as ONNX; the message names the block. */
public class OnnxExportException extends SslsegException {
    public OnnxExportException(String message) {
        super(message);
    }
}

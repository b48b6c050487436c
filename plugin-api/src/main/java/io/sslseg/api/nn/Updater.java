package io.sslseg.api.nn;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * An optimizer bound to a set of parameters: applies one update from their gradients, then zeroes the
 * gradients. Its state (moments, step count) can be saved so that a component training blocks of its own
 * (a discriminator) resumes exactly.
 */
public interface Updater {
    void step(double lr);

    void save(DataOutputStream out) throws IOException;

    /** @param source names the file being read, for errors */
    void load(DataInputStream in, String source) throws IOException;
}

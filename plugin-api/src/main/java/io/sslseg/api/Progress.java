package io.sslseg.api;

/** Progress of long work (generation, validation, training); the platform draws it on the console. */
public interface Progress {
    Progress NONE = new Progress() {
        @Override
        public void start(String task, long total) {}

        @Override
        public void advance(long steps) {}

        @Override
        public void done() {}
    };

    void start(String task, long total);

    void advance(long steps);

    void done();
}

package io.tfoagent.it.semantics;

/**
 * One machine-readable line per attempt: {@code RESULT <label> key=value ...}, values without
 * spaces (spaces become underscores). The test parses these; a peer's exit code says whether all
 * its attempts behaved as the application expects (0) or not (1).
 */
public final class ResultLine {
    private final StringBuilder line;

    public ResultLine(String label) {
        line = new StringBuilder("RESULT ").append(label);
    }

    public ResultLine with(String key, Object value) {
        line.append(' ').append(key).append('=').append(String.valueOf(value).replace(' ', '_'));
        return this;
    }

    /** The exception as {@code thrown=<class> msg=<message>}, or {@code thrown=none}. */
    public ResultLine thrown(Throwable t) {
        return t == null ? with("thrown", "none") : with("thrown", t.getClass().getName()).with("msg", t.getMessage());
    }

    public void print() {
        System.out.println(line);
    }
}

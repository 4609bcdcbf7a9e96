package io.tfoagent.it.peers;

/**
 * Waits, at a client peer's start, until the agent's warm-up is over. The agent never makes
 * an application's connection wait for its own warm-up (loading JNA, weaving): connects made
 * before it is over go without TFO. The tests are about what happens with TFO, so their
 * clients begin once the agent's warm-up thread, started in premain before main, has ended.
 * Without the agent there is no such thread and nothing to wait for.
 */
public final class AgentWarmUp {
    private static final String THREAD = "tfo-agent-warm-up";
    private static final long MAX_WAIT_MILLIS = 20_000;

    private AgentWarmUp() {}

    public static void await() {
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals(THREAD)) {
                try {
                    t.join(MAX_WAIT_MILLIS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                if (t.isAlive()) {
                    throw new IllegalStateException("the agent's warm-up is still running after " + MAX_WAIT_MILLIS
                            + " ms");
                }
            }
        }
    }
}

package io.teamsconnector.graph;

import java.time.Duration;

/** Waits between retries of a Graph or Entra call; always on a worker thread. */
final class Backoff {

    private Backoff() {
    }

    static void pause(Duration delay) {
        if (delay.isZero() || delay.isNegative()) {
            return;
        }
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GraphException(GraphException.Kind.UNAVAILABLE, 0, "Interrupted while waiting to retry");
        }
    }
}

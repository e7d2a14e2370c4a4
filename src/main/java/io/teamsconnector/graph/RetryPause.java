package io.teamsconnector.graph;

import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;

/**
 * Waits between retries of a Graph or Entra call; always on a worker thread. A bean of its own so that tests of
 * the retry rules can see the waits asked for without spending them.
 */
@ApplicationScoped
public class RetryPause {

    public void pause(Duration delay) {
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

package io.teamsconnector.contactcenter;

import java.time.Duration;

/** Exponential backoff with "equal jitter": half the delay is fixed, half random, so retries spread out. */
record RetrySchedule(Duration first, Duration max, int maxAttempts) {

    /** Delay before the next attempt after {@code attempts} failed ones; {@code random} in [0, 1). */
    Duration delayAfter(int attempts, double random) {
        long base = first.toMillis();
        long capped = max.toMillis();
        long exponential = attempts >= 31 ? capped : Math.min(capped, base * (1L << Math.max(0, attempts - 1)));
        long half = exponential / 2;
        return Duration.ofMillis(half + (long) (random * (exponential - half)));
    }

    /** True when no attempt is left after {@code attempts}. */
    boolean exhausted(int attempts) {
        return attempts >= maxAttempts;
    }
}

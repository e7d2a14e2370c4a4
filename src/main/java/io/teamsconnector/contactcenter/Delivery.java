package io.teamsconnector.contactcenter;

/** The outcome of one delivery attempt; {@code detail} is safe to store and log (never a secret). */
public record Delivery(Outcome outcome, String detail, java.time.Duration retryAfter) {

    /** An outcome with no wait asked for. */
    public Delivery(Outcome outcome, String detail) {
        this(outcome, detail, java.time.Duration.ZERO);
    }

    /** What to do with the item next. */
    public enum Outcome {
        /** The contact center accepted the change. */
        DELIVERED,
        /** Worth another attempt later: no answer, 5xx, 429, 408, or an authorization the operator may fix. */
        RETRY,
        /** The contact center refused this change for good (another 4xx): kept as failed at once. */
        REJECTED,
        /**
         * The connector's link to the contact center needs an administrator (its token was revoked): kept
         * waiting, neither failed nor lost, and sent once the link is made again.
         */
        WAIT
    }

    public static Delivery delivered(int status) {
        return new Delivery(Outcome.DELIVERED, "HTTP " + status);
    }

    /** Classifies an HTTP answer. */
    public static Delivery ofStatus(int status) {
        if (status >= 200 && status < 300) {
            return delivered(status);
        }
        boolean retriable = status >= 500 || status == 408 || status == 425 || status == 429 || status == 401
                || status == 403;
        return new Delivery(retriable ? Outcome.RETRY : Outcome.REJECTED, "HTTP " + status);
    }

    public static Delivery unreachable(String why) {
        return new Delivery(Outcome.RETRY, why);
    }
}

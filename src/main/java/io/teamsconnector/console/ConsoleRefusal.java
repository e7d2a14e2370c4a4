package io.teamsconnector.console;

/** A console request that is not allowed: answered with a page (or, for htmx, a redirect to the sign-in). */
public class ConsoleRefusal extends RuntimeException {

    /** What went wrong, and the HTTP status it is. */
    public enum Kind {
        /** No session, or an expired one: back to the sign-in page. */
        SIGN_IN(401, "Please sign in"),
        /** A state-changing request without this session's CSRF token: nothing was changed. */
        CSRF(403, "This request was refused"),
        /** The connector belongs to another org than the signed-in administrator's. */
        NOT_YOURS(403, "Not your organization"),
        /** Only an operator (API key) may do this. */
        OPERATOR_ONLY(403, "Operators only");

        final int status;
        final String title;

        Kind(int status, String title) {
            this.status = status;
            this.title = title;
        }
    }

    final Kind kind;

    public ConsoleRefusal(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }
}

package io.teamsconnector.console;

import jakarta.enterprise.context.ApplicationScoped;

/** Who may read and change what in the console; every console resource asks here first. */
@ApplicationScoped
public class ConsoleGuard {

    private final ConsoleSessions sessions;

    public ConsoleGuard(ConsoleSessions sessions) {
        this.sessions = sessions;
    }

    /** The signed-in session; otherwise a refusal that leads to the sign-in page. */
    public ConsoleSession reader(ConsoleRequest request) {
        return sessions.open(request.session).orElseThrow(() -> new ConsoleRefusal(ConsoleRefusal.Kind.SIGN_IN,
                "Your console session has ended or you have not signed in."));
    }

    /** The session, when it may see the connector of {@code orgId}. */
    public ConsoleSession reader(ConsoleRequest request, String orgId) {
        ConsoleSession session = reader(request);
        if (!session.canSee(orgId)) {
            throw new ConsoleRefusal(ConsoleRefusal.Kind.NOT_YOURS, "You are signed in as an administrator of "
                    + "Webex organization " + session.orgId() + "; this connector belongs to another organization.");
        }
        return session;
    }

    /** The session, for a state-changing request that carries its CSRF token (header or form field). */
    public ConsoleSession writer(ConsoleRequest request, String formToken) {
        ConsoleSession session = reader(request);
        String presented = request.csrfHeader != null ? request.csrfHeader : formToken;
        if (!sessions.validCsrf(session, presented)) {
            throw new ConsoleRefusal(ConsoleRefusal.Kind.CSRF,
                    "The request did not carry this page's security token, so nothing was changed. Reload the page "
                            + "and try again.");
        }
        return session;
    }

    /** {@link #writer} for a connector the session may see. */
    public ConsoleSession writer(ConsoleRequest request, String formToken, String orgId) {
        ConsoleSession session = writer(request, formToken);
        reader(request, orgId);
        return session;
    }

    /** {@link #writer}, for operators only. */
    public ConsoleSession operator(ConsoleRequest request, String formToken) {
        ConsoleSession session = writer(request, formToken);
        if (!session.operator()) {
            throw new ConsoleRefusal(ConsoleRefusal.Kind.OPERATOR_ONLY,
                    "Only an operator signed in with an API key can do this.");
        }
        return session;
    }

    /** What every page needs: the session and its CSRF token. */
    public ConsolePage page(ConsoleSession session) {
        return ConsolePage.of(session, sessions.csrfToken(session));
    }
}

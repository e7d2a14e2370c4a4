package io.teamsconnector.console;

import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.HeaderParam;

/** What every console request may carry: the session cookie and, on htmx and script calls, the CSRF header. */
public class ConsoleRequest {

    /** htmx and the console's script send the CSRF token in this header. */
    public static final String CSRF_HEADER = "X-CSRF-Token";

    @CookieParam(ConsoleSessions.COOKIE)
    String session;

    @HeaderParam(CSRF_HEADER)
    String csrfHeader;

    @HeaderParam("HX-Request")
    String htmx;

    boolean fromHtmx() {
        return "true".equals(htmx);
    }
}

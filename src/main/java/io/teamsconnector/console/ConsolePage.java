package io.teamsconnector.console;

/** The frame of every console page: who is signed in, and the CSRF token its forms and htmx calls carry. */
public record ConsolePage(ConsoleSession session, String csrf, String hxHeaders) {

    static ConsolePage of(ConsoleSession session, String csrf) {
        return new ConsolePage(session, csrf, "{\"" + ConsoleRequest.CSRF_HEADER + "\":\"" + csrf + "\"}");
    }

    /** The frame of the pages shown to nobody signed in (sign-in, refusals). */
    static ConsolePage signedOut() {
        return new ConsolePage(null, "", "{}");
    }
}

package io.teamsconnector.consent;

/** A consent start or callback that must not change anything; answered as a 400 HTML page with the reason. */
public class ConsentRefusedException extends RuntimeException {

    public ConsentRefusedException(String reason) {
        super(reason, null, false, false);
    }
}

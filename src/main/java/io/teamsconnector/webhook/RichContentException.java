package io.teamsconnector.webhook;

/**
 * A rich notification's {@code encryptedContent} could not be opened. Checked, so a caller cannot
 * forget that tampered or foreign content is an expected input, not a bug. The message never
 * contains key material or plaintext.
 */
public final class RichContentException extends Exception {

    /** Why the content was refused. */
    public enum Reason {
        /** Encrypted for a certificate id we hold no key for. */
        UNKNOWN_CERTIFICATE,
        /** Not base64, a data key our private key cannot open, a key of the wrong size, bad padding. */
        MALFORMED,
        /** The HMAC of {@code data} does not match {@code dataSignature}: altered on the way. */
        SIGNATURE
    }

    private final Reason reason;

    public RichContentException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}

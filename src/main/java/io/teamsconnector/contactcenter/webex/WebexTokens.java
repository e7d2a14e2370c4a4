package io.teamsconnector.contactcenter.webex;

import java.time.Instant;

/**
 * Tokens of a Webex link. {@link #toString()} never shows a token, so a stray log statement cannot leak one.
 *
 * @param refreshExpiresAt when the refresh token expires, or null when Webex did not say
 */
public record WebexTokens(String accessToken, Instant accessExpiresAt, String refreshToken, Instant refreshExpiresAt) {

    @Override
    public String toString() {
        return "WebexTokens[accessExpiresAt=" + accessExpiresAt + ", refreshExpiresAt=" + refreshExpiresAt + "]";
    }
}

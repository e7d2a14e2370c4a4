package io.teamsconnector.graph;

import java.time.Instant;

/**
 * Tokens of a delegated (service-account) sign-in. {@link #toString()} never shows a token, so a
 * stray log statement cannot leak one.
 *
 * @param accessToken       bearer token for Graph calls on behalf of the signed-in user
 * @param refreshToken      long-lived token; store it encrypted, never log or return it
 * @param expiresAt         when {@code accessToken} expires
 * @param userId            Entra object id of the signed-in user when the access token tells it, else null
 * @param userPrincipalName the signed-in user's UPN when the access token tells it, else null
 */
public record DelegatedTokens(String accessToken, String refreshToken, Instant expiresAt, String userId,
                              String userPrincipalName) {

    @Override
    public String toString() {
        return "DelegatedTokens[expiresAt=" + expiresAt + ", userId=" + userId + "]";
    }
}

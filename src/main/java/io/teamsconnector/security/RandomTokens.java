package io.teamsconnector.security;

import jakarta.enterprise.context.ApplicationScoped;

import java.security.SecureRandom;
import java.util.Base64;

/**
 * One-time secrets (consent tickets, states, browser bindings). The generator belongs to the bean, not
 * to a static field, so a native image seeds it at run time, never at build time.
 */
@ApplicationScoped
public class RandomTokens {

    private final SecureRandom random = new SecureRandom();

    /** 256 random bits, URL-safe Base64 without padding. */
    public String next() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}

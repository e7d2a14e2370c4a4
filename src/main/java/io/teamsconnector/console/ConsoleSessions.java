package io.teamsconnector.console;

import io.teamsconnector.config.ConnectorConfig;
import io.teamsconnector.security.RandomTokens;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * Console sessions as signed cookies: the session's fields and an HMAC-SHA256 over them, keyed from the service's
 * secret key ({@code CONNECTOR_SECRET_KEY}; without one, a random key of this process, so sessions end at a
 * restart). A session lasts {@link #LIFETIME}; its CSRF token is an HMAC of its random id. Pure Java: the rules
 * are tested without HTTP.
 */
@ApplicationScoped
public class ConsoleSessions {

    /** The session cookie (path {@code /console}). */
    public static final String COOKIE = "tc_console";
    /** The one-time value binding a sign-in form or a Webex sign-in to this browser. */
    public static final String SIGN_IN_COOKIE = "tc_console_sign_in";
    public static final Duration LIFETIME = Duration.ofHours(8);
    /** How long a started sign-in (form or Webex round trip) may take. */
    public static final Duration SIGN_IN_LIFETIME = Duration.ofMinutes(10);

    private static final Logger LOG = Logger.getLogger(ConsoleSessions.class);
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder UNB64 = Base64.getUrlDecoder();
    private static final String VERSION = "v1";

    private final byte[] key;
    private final RandomTokens random;
    private final Clock clock;
    private final boolean secure;

    @Inject
    public ConsoleSessions(ConnectorConfig config, RandomTokens random) {
        this(config.secretKey().filter(k -> !k.isBlank()).map(k -> Base64.getDecoder().decode(k.trim())),
                random, Clock.systemUTC(), secureCookies(config.publicBase()));
    }

    ConsoleSessions(Optional<byte[]> secretKey, RandomTokens random, Clock clock, boolean secure) {
        this.key = secretKey.map(k -> hmac(k, "teams-connector console sessions")).orElseGet(() -> {
            LOG.info("No CONNECTOR_SECRET_KEY: console sessions are signed with a key of this process and end at "
                    + "its restart");
            byte[] k = new byte[32];
            new SecureRandom().nextBytes(k);
            return k;
        });
        this.random = random;
        this.clock = clock;
        this.secure = secure;
    }

    /** Cookies are {@code Secure} except when the console is served on {@code http://localhost}. */
    static boolean secureCookies(String publicBase) {
        return !(publicBase.startsWith("http://localhost:") || publicBase.equals("http://localhost")
                || publicBase.startsWith("http://127.0.0.1"));
    }

    public ConsoleSession operator() {
        return new ConsoleSession(ConsoleSession.Kind.OPERATOR, "operator", null, expiry(), random.next());
    }

    public ConsoleSession orgAdmin(String who, String orgId) {
        return new ConsoleSession(ConsoleSession.Kind.ORG_ADMIN, who, orgId, expiry(), random.next());
    }

    private Instant expiry() {
        return clock.instant().plus(LIFETIME);
    }

    /** The cookie value of a session: its fields, base64url each, and their signature. */
    public String seal(ConsoleSession session) {
        String payload = String.join(".", VERSION, session.kind().name(), b64(session.who()),
                b64(session.orgId() == null ? "" : session.orgId()),
                Long.toString(session.expiresAt().getEpochSecond()), session.id());
        return payload + "." + B64.encodeToString(hmac(key, payload));
    }

    /** The session of a cookie value: signed by us and not expired; otherwise empty. */
    public Optional<ConsoleSession> open(String cookie) {
        if (cookie == null || cookie.length() > 2048) {
            return Optional.empty();
        }
        int cut = cookie.lastIndexOf('.');
        if (cut < 0) {
            return Optional.empty();
        }
        String payload = cookie.substring(0, cut);
        if (!equal(B64.encodeToString(hmac(key, payload)), cookie.substring(cut + 1))) {
            return Optional.empty();
        }
        List<String> f = List.of(payload.split("\\.", -1));
        if (f.size() != 6 || !VERSION.equals(f.get(0))) {
            return Optional.empty();
        }
        try {
            Instant expires = Instant.ofEpochSecond(Long.parseLong(f.get(4)));
            if (!expires.isAfter(clock.instant())) {
                return Optional.empty();
            }
            String org = unb64(f.get(3));
            return Optional.of(new ConsoleSession(ConsoleSession.Kind.valueOf(f.get(1)), unb64(f.get(2)),
                    org.isEmpty() ? null : org, expires, f.get(5)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** The CSRF token of a session: every form and state-changing call carries it. */
    public String csrfToken(ConsoleSession session) {
        return B64.encodeToString(hmac(key, "csrf." + session.id()));
    }

    /** True when {@code presented} is the session's CSRF token (constant time). */
    public boolean validCsrf(ConsoleSession session, String presented) {
        return presented != null && equal(csrfToken(session), presented);
    }

    /** A fresh one-time value for a sign-in (the form's token, the Webex state). */
    public String signInValue() {
        return random.next();
    }

    /** True when the value a sign-in came back with is the one its browser's cookie holds (constant time). */
    public static boolean sameSignIn(String cookie, String presented) {
        return cookie != null && presented != null && !cookie.isEmpty() && equal(cookie, presented);
    }

    /** {@code Set-Cookie} of the session: HttpOnly, SameSite=Strict, Secure except on http://localhost. */
    public String sessionCookie(ConsoleSession session) {
        return cookie(COOKIE, seal(session), "/console", LIFETIME, "Strict");
    }

    /** {@code Set-Cookie} that removes the session. */
    public String clearedSessionCookie() {
        return cookie(COOKIE, "", "/console", Duration.ZERO, "Strict");
    }

    /**
     * {@code Set-Cookie} of a sign-in's one-time value. {@code Lax}: Webex sends the browser back to the callback
     * from another site, where a {@code Strict} cookie would not be sent.
     */
    public String signInCookie(String value) {
        return cookie(SIGN_IN_COOKIE, value, "/console", SIGN_IN_LIFETIME, "Lax");
    }

    public String clearedSignInCookie() {
        return cookie(SIGN_IN_COOKIE, "", "/console", Duration.ZERO, "Lax");
    }

    private String cookie(String name, String value, String path, Duration maxAge, String sameSite) {
        return name + "=" + value + "; Path=" + path + "; Max-Age=" + maxAge.toSeconds() + "; HttpOnly; SameSite="
                + sameSite + (secure ? "; Secure" : "");
    }

    private static String b64(String value) {
        return B64.encodeToString(value.getBytes(StandardCharsets.UTF_8));
    }

    private static String unb64(String value) {
        return new String(UNB64.decode(value), StandardCharsets.UTF_8);
    }

    private static boolean equal(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}

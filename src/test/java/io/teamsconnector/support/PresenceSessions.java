package io.teamsconnector.support;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Application presence sessions as Microsoft Graph keeps them ({@code setPresence} / {@code clearPresence}), for
 * {@link GraphFake}: one session per user and application, with Graph's checks (the allowed availability and
 * activity pairs, {@code expirationDuration} from 5 minutes to 4 hours, 5 minutes when absent), its expiry, its
 * aggregation with the user's other presence (DoNotDisturb &gt; Busy &gt; Available &gt; Away; the user's own
 * presence wins a tie), and {@code 403} for a tenant whose consent lacks {@code Presence.ReadWrite.All}.
 *
 * <p>Graph shows a change after a delay: with {@link #lagClears}, a cleared session still shows in the aggregate
 * until {@link #settleClears}, the echo the connector's loop guard is for.
 */
public final class PresenceSessions {

    public static final List<String> ALLOWED = List.of("Available/Available", "Busy/InACall",
            "Busy/InAConferenceCall", "Away/Away", "DoNotDisturb/Presenting");
    public static final Duration DEFAULT_EXPIRATION = Duration.ofMinutes(5);
    public static final Duration MIN_EXPIRATION = Duration.ofMinutes(5);
    public static final Duration MAX_EXPIRATION = Duration.ofHours(4);

    private static final Map<String, Integer> RANK = Map.of("DoNotDisturb", 4, "Busy", 3, "BusyIdle", 3,
            "Available", 2, "AvailableIdle", 2, "Away", 1, "BeRightBack", 1);

    /** One application session of a user. */
    public record Session(String sessionId, String availability, String activity, Duration expiration,
                          Instant expiresAt) {
    }

    /** An answer: status and OData body. */
    public record Answer(int status, String body) {
    }

    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final Map<String, Session> lagging = new ConcurrentHashMap<>();
    private final Set<String> withoutWritePermission = ConcurrentHashMap.newKeySet();
    private final Supplier<Instant> clock;
    private volatile boolean lag;

    public PresenceSessions(Supplier<Instant> clock) {
        this.clock = clock;
    }

    void reset() {
        sessions.clear();
        lagging.clear();
        withoutWritePermission.clear();
        lag = false;
    }

    /** The tenant's consent lacks {@code Presence.ReadWrite.All} (until {@link #grantWrite}). */
    public void denyWrite(String tenant) {
        withoutWritePermission.add(tenant);
    }

    /** The tenant's administrator granted {@code Presence.ReadWrite.All}. */
    public void grantWrite(String tenant) {
        withoutWritePermission.remove(tenant);
    }

    /** Cleared sessions keep showing (Graph's delay) until {@link #settleClears}. */
    public void lagClears(boolean on) {
        lag = on;
    }

    /** Graph caught up: cleared sessions no longer show. */
    public void settleClears() {
        lagging.clear();
    }

    /** The user's live session, if any (expired ones are gone). */
    public Session session(String userId) {
        Session s = sessions.get(userId);
        return s != null && clock.get().isBefore(s.expiresAt()) ? s : null;
    }

    /** {@code POST /users/{id}/presence/setPresence}. */
    Answer set(String tenant, String userId, String appId, Map<String, String> body) {
        Answer refused = refusal(tenant, appId, body);
        if (refused != null) {
            return refused;
        }
        String sessionId = body.get("sessionId");
        String pair = body.get("availability") + "/" + body.get("activity");
        if (!ALLOWED.contains(pair)) {
            return badRequest("The availability and activity pair " + pair + " is not supported.");
        }
        Duration expiration = DEFAULT_EXPIRATION;
        if (body.get("expirationDuration") != null) {
            try {
                expiration = Duration.parse(body.get("expirationDuration"));
            } catch (DateTimeParseException e) {
                return badRequest("expirationDuration is not an ISO-8601 duration.");
            }
        }
        if (expiration.compareTo(MIN_EXPIRATION) < 0 || expiration.compareTo(MAX_EXPIRATION) > 0) {
            return badRequest("expirationDuration must be from PT5M to PT4H.");
        }
        lagging.remove(userId);
        sessions.put(userId, new Session(sessionId, body.get("availability"), body.get("activity"), expiration,
                clock.get().plus(expiration)));
        return new Answer(200, null);
    }

    /** {@code POST /users/{id}/presence/clearPresence}. */
    Answer clear(String tenant, String userId, String appId, Map<String, String> body) {
        Answer refused = refusal(tenant, appId, body);
        if (refused != null) {
            return refused;
        }
        Session removed = sessions.remove(userId);
        if (removed == null || !clock.get().isBefore(removed.expiresAt())) {
            return new Answer(404, "{\"error\":{\"code\":\"NotFound\",\"message\":\"No presence session to clear.\"}}");
        }
        if (lag) {
            lagging.put(userId, removed);
        }
        return new Answer(200, null);
    }

    /** Why Graph refuses a call on the session before looking at it: no permission, or not the app's session. */
    private Answer refusal(String tenant, String appId, Map<String, String> body) {
        if (tenant != null && withoutWritePermission.contains(tenant)) {
            return forbidden();
        }
        String sessionId = body.get("sessionId");
        return sessionId == null || !sessionId.equalsIgnoreCase(appId)
                ? badRequest("sessionId must be the application's id.") : null;
    }

    /** What Graph reports: the user's own presence ({@code base}, may be null) aggregated with app sessions. */
    String[] aggregate(String userId, String[] base) {
        String[] shown = base;
        for (Session s : new Session[] {session(userId), lagging.get(userId)}) {
            if (s != null && (shown == null || rank(s.availability()) > rank(shown[0]))) {
                shown = new String[] {s.availability(), s.activity()};
            }
        }
        return shown;
    }

    private static int rank(String availability) {
        return RANK.getOrDefault(availability, 0);
    }

    private static Answer forbidden() {
        return new Answer(403, "{\"error\":{\"code\":\"Forbidden\",\"message\":\"Insufficient privileges to complete "
                + "the operation.\"}}");
    }

    private static Answer badRequest(String message) {
        return new Answer(400, "{\"error\":{\"code\":\"BadRequest\",\"message\":" + FakeHttp.quote(message) + "}}");
    }
}

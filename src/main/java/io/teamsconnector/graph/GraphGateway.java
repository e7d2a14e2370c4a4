package io.teamsconnector.graph;

import io.teamsconnector.domain.TeamsPresence;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Microsoft Graph in the connector's own terms. The only way the rest of the code reaches Graph;
 * implementations block, so callers use it from a worker thread and never inside a reactive
 * transaction (call Graph, then persist). Failures are {@link GraphException}s.
 */
public interface GraphGateway {

    /** Obtains an app-only (client-credentials) token for the tenant: the proof that admin consent exists. */
    void verifyAppConsent(String tenantId);

    /** {@code POST /communications/getPresencesByUserId} for at most 650 ids; ids Graph does not return are absent. */
    Map<String, TeamsPresence> presencesByUserId(String tenantId, List<String> userIds);

    /**
     * The same read for someone waiting on it (an expert lookup): when the tenant's presence budget has no room
     * at this moment, it fails at once as {@link GraphException.Kind#THROTTLED} instead of waiting for room.
     */
    Map<String, TeamsPresence> presencesByUserIdIfRoom(String tenantId, List<String> userIds);

    /**
     * {@code POST /users/{id}/presence/setPresence} as the application: our presence session for the user (its id
     * is our client id) shows {@code presence} for {@code expiration} (Graph: 5 minutes to 4 hours). Counts
     * against the tenant's presence budget. A tenant whose consent lacks {@code Presence.ReadWrite.All} answers
     * {@code 403}: a {@link GraphException.Kind#UNAUTHORIZED} failure.
     */
    void setPresence(String tenantId, String userId, TeamsPresence presence, Duration expiration);

    /**
     * {@code POST /users/{id}/presence/clearPresence} of our session; a session Graph no longer has counts as
     * cleared. Counts against the tenant's presence budget.
     */
    void clearPresence(String tenantId, String userId);

    /** The Entra object id of the user whose mail or user principal name is {@code email}. */
    Optional<String> userIdByEmail(String tenantId, String email);

    /** One page of {@code /users/delta}; {@code link} is null for a full sync, else a stored next or delta link. */
    UsersDeltaPage usersDelta(String tenantId, String link);

    /** Creates a presence subscription with a delegated (service-account) access token. */
    PresenceSubscription createSubscription(String delegatedAccessToken, SubscriptionRequest request);

    /** {@code PATCH /subscriptions/{id}} with a new expiry. */
    PresenceSubscription renewSubscription(String delegatedAccessToken, String subscriptionId, Instant expiresAt);

    /** {@code POST /subscriptions/{id}/reauthorize}. */
    void reauthorizeSubscription(String delegatedAccessToken, String subscriptionId);

    /** {@code GET /subscriptions/{id}}; empty when Graph no longer has it. */
    Optional<PresenceSubscription> subscription(String delegatedAccessToken, String subscriptionId);

    /** {@code GET /subscriptions}: the subscriptions this app holds for the signed-in (service-account) user. */
    List<PresenceSubscription> subscriptions(String delegatedAccessToken);

    /** {@code DELETE /subscriptions/{id}}; a subscription already gone counts as deleted. */
    void deleteSubscription(String delegatedAccessToken, String subscriptionId);

    /** A user as the directory mirror needs it; a null field (even {@code businessPhones}) was not sent. */
    record DirectoryUser(String id, String displayName, String givenName, String surname, String jobTitle,
                         String department, List<String> businessPhones, String mail, Boolean accountEnabled) {
    }

    /** One page of a users delta round: changed users, removed ids, and either a next link or the final delta link. */
    record UsersDeltaPage(List<DirectoryUser> users, List<String> removedIds, String nextLink, String deltaLink) {
    }

    /** What the connector asks Graph to subscribe to. Certificate fields are null for basic notifications. */
    record SubscriptionRequest(String resource, String notificationUrl, String lifecycleNotificationUrl,
                               String clientState, Instant expiresAt, String encryptionCertificate,
                               String encryptionCertificateId) {
        @Override
        public String toString() {
            return "SubscriptionRequest[resource=" + resource + ", expiresAt=" + expiresAt + "]";
        }
    }

    /** A subscription as Graph answered it; {@code clientState} when Graph returned it. Never printed. */
    record PresenceSubscription(String id, String resource, Instant expiresAt, String clientState) {
        @Override
        public String toString() {
            return "PresenceSubscription[id=" + id + ", expiresAt=" + expiresAt + "]";
        }
    }
}

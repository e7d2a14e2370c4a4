package io.teamsconnector.graph;

import com.microsoft.graph.communications.getpresencesbyuserid.GetPresencesByUserIdPostRequestBody;
import com.microsoft.graph.communications.getpresencesbyuserid.GetPresencesByUserIdPostResponse;
import com.microsoft.graph.models.Presence;
import com.microsoft.graph.models.Subscription;
import com.microsoft.graph.models.SubscriptionCollectionResponse;
import com.microsoft.graph.models.User;
import com.microsoft.graph.models.UserCollectionResponse;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import com.microsoft.graph.users.delta.DeltaGetResponse;
import com.microsoft.graph.users.item.presence.clearpresence.ClearPresencePostRequestBody;
import com.microsoft.graph.users.item.presence.setpresence.SetPresencePostRequestBody;
import com.microsoft.kiota.PeriodAndDuration;
import io.teamsconnector.config.ConnectorConfig;
import io.teamsconnector.domain.TeamsPresence;
import io.teamsconnector.graph.GraphException.Kind;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** {@link GraphGateway} on the Microsoft Graph SDK v6, with the error policy of {@link GraphCallPolicy}. */
@ApplicationScoped
public class SdkGraphGateway implements GraphGateway {

    /** Graph's limit of ids per {@code getPresencesByUserId} request. */
    public static final int MAX_PRESENCE_IDS = 650;
    static final String[] USER_FIELDS = {"id", "displayName", "givenName", "surname", "jobTitle", "department",
        "businessPhones", "mail", "accountEnabled"};

    private final GraphClients clients;
    private final GraphCallPolicy policy;
    private final EntraTokens tokens;
    private final PresenceRateLimiter presenceLimit;
    private final Duration maxWait;
    private final Optional<String> clientId;

    SdkGraphGateway(GraphClients clients, GraphCallPolicy policy, EntraTokens tokens, PresenceRateLimiter presenceLimit,
                    ConnectorConfig config) {
        this.clients = clients;
        this.policy = policy;
        this.tokens = tokens;
        this.presenceLimit = presenceLimit;
        this.maxWait = config.graphMaxRetryAfter();
        this.clientId = config.clientId();
    }

    @Override
    public void verifyAppConsent(String tenantId) {
        tokens.evictAppToken(tenantId);
        tokens.appAccessToken(tenantId);
    }

    @Override
    public Map<String, TeamsPresence> presencesByUserId(String tenantId, List<String> userIds) {
        return presences(tenantId, userIds, maxWait);
    }

    @Override
    public Map<String, TeamsPresence> presencesByUserIdIfRoom(String tenantId, List<String> userIds) {
        return presences(tenantId, userIds, Duration.ZERO);
    }

    private Map<String, TeamsPresence> presences(String tenantId, List<String> userIds, Duration roomWait) {
        if (userIds.isEmpty()) {
            return Map.of();
        }
        if (userIds.size() > MAX_PRESENCE_IDS) {
            throw new GraphException(Kind.REJECTED, 0, "At most " + MAX_PRESENCE_IDS + " ids per presence read");
        }
        GraphServiceClient client = clients.app(tenantId);
        presenceLimit.acquire(tenantId, roomWait);
        GetPresencesByUserIdPostResponse response;
        try {
            // a read, although a POST: safe to retry. A fresh body per attempt: the SDK's backing store
            // sends only changed values once a body has been serialized.
            response = policy.call("getPresencesByUserId", true, () -> tokens.evictAppToken(tenantId), () -> {
                GetPresencesByUserIdPostRequestBody body = new GetPresencesByUserIdPostRequestBody();
                body.setIds(new ArrayList<>(userIds));
                return client.communications().getPresencesByUserId().post(body);
            });
        } catch (GraphException e) {
            if (e.kind() == Kind.THROTTLED) {
                // Graph still says 429: no instance reads this tenant's presence until it allows
                presenceLimit.pause(tenantId, e.retryAfter().orElse(PresenceRateLimiter.WINDOW));
            }
            throw e;
        }
        Map<String, TeamsPresence> presences = new LinkedHashMap<>();
        if (response != null && response.getValue() != null) {
            for (Presence p : response.getValue()) {
                if (p.getId() != null) {
                    // object ids are GUIDs: compared lower case everywhere in the connector
                    presences.put(p.getId().toLowerCase(Locale.ROOT), new TeamsPresence(p.getAvailability(),
                            p.getActivity()));
                }
            }
        }
        return presences;
    }

    @Override
    public void setPresence(String tenantId, String userId, TeamsPresence presence, Duration expiration) {
        String sessionId = sessionId();
        GraphServiceClient client = clients.app(tenantId);
        presenceLimit.acquire(tenantId, maxWait);
        // the same state written twice is the same session state: safe to retry
        policy.call("setPresence", true, () -> tokens.evictAppToken(tenantId), () -> {
            SetPresencePostRequestBody body = new SetPresencePostRequestBody();
            body.setSessionId(sessionId);
            body.setAvailability(presence.availability());
            body.setActivity(presence.activity());
            body.setExpirationDuration(PeriodAndDuration.ofDuration(expiration));
            client.users().byUserId(userId).presence().setPresence().post(body);
            return null;
        });
    }

    @Override
    public void clearPresence(String tenantId, String userId) {
        String sessionId = sessionId();
        GraphServiceClient client = clients.app(tenantId);
        presenceLimit.acquire(tenantId, maxWait);
        try {
            policy.call("clearPresence", true, () -> tokens.evictAppToken(tenantId), () -> {
                ClearPresencePostRequestBody body = new ClearPresencePostRequestBody();
                body.setSessionId(sessionId);
                client.users().byUserId(userId).presence().clearPresence().post(body);
                return null;
            });
        } catch (GraphException e) {
            if (e.kind() != Kind.NOT_FOUND) {
                throw e;
            }
        }
    }

    /** Our presence session's id: the app's client id, as Graph asks. */
    private String sessionId() {
        return clientId.orElseThrow(() -> new GraphException(Kind.UNAUTHORIZED, 0,
                "No client id configured: the connector has no presence session of its own"));
    }

    @Override
    public Optional<String> userIdByEmail(String tenantId, String email) {
        if (email == null || email.isBlank()) {
            return Optional.empty();
        }
        String literal = "'" + email.trim().replace("'", "''") + "'";
        GraphServiceClient client = clients.app(tenantId);
        UserCollectionResponse response = policy.call("usersByMail", true, () -> tokens.evictAppToken(tenantId),
                () -> client.users().get(rc -> {
                    rc.queryParameters.filter = "mail eq " + literal + " or userPrincipalName eq " + literal;
                    rc.queryParameters.select = new String[] {"id"};
                    rc.queryParameters.top = 1;
                }));
        if (response == null || response.getValue() == null) {
            return Optional.empty();
        }
        return response.getValue().stream().map(User::getId).filter(id -> id != null).findFirst();
    }

    @Override
    public UsersDeltaPage usersDelta(String tenantId, String link) {
        GraphServiceClient client = clients.app(tenantId);
        DeltaGetResponse response = policy.call("usersDelta", true, () -> tokens.evictAppToken(tenantId), () -> {
            if (link == null) {
                return client.users().delta().get(rc -> rc.queryParameters.select = USER_FIELDS);
            }
            return client.users().delta().withUrl(rebase(link)).get();
        });
        List<DirectoryUser> users = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        if (response != null && response.getValue() != null) {
            for (User u : response.getValue()) {
                if (u.getAdditionalData() != null && u.getAdditionalData().containsKey("@removed")) {
                    removed.add(u.getId());
                } else {
                    users.add(new DirectoryUser(u.getId(), u.getDisplayName(), u.getGivenName(), u.getSurname(),
                            u.getJobTitle(), u.getDepartment(),
                            u.getBusinessPhones() == null ? null : List.copyOf(u.getBusinessPhones()),
                            u.getMail(), u.getAccountEnabled()));
                }
            }
        }
        return new UsersDeltaPage(users, removed, response == null ? null : response.getOdataNextLink(),
                response == null ? null : response.getOdataDeltaLink());
    }

    @Override
    public PresenceSubscription createSubscription(String delegatedAccessToken, SubscriptionRequest request) {
        GraphServiceClient client = clients.delegated(delegatedAccessToken);
        // not idempotent: a retried create could leave a second subscription behind (a 429 is retried)
        Subscription created = policy.call("createSubscription", false, null,
                () -> client.subscriptions().post(subscription(request)));
        return toSubscription(created, request.resource(), request.expiresAt());
    }

    private static Subscription subscription(SubscriptionRequest request) {
        Subscription s = new Subscription();
        s.setChangeType("updated");
        s.setResource(request.resource());
        s.setNotificationUrl(request.notificationUrl());
        s.setLifecycleNotificationUrl(request.lifecycleNotificationUrl());
        s.setClientState(request.clientState());
        s.setExpirationDateTime(OffsetDateTime.ofInstant(request.expiresAt(), ZoneOffset.UTC));
        if (request.encryptionCertificate() != null) {
            s.setIncludeResourceData(true);
            s.setEncryptionCertificate(request.encryptionCertificate());
            s.setEncryptionCertificateId(request.encryptionCertificateId());
        }
        return s;
    }

    @Override
    public PresenceSubscription renewSubscription(String delegatedAccessToken, String subscriptionId,
                                                  Instant expiresAt) {
        GraphServiceClient client = clients.delegated(delegatedAccessToken);
        Subscription renewed = policy.call("renewSubscription", true, null, () -> {
            Subscription patch = new Subscription();
            patch.setExpirationDateTime(OffsetDateTime.ofInstant(expiresAt, ZoneOffset.UTC));
            return client.subscriptions().bySubscriptionId(subscriptionId).patch(patch);
        });
        return toSubscription(renewed, null, expiresAt);
    }

    @Override
    public void reauthorizeSubscription(String delegatedAccessToken, String subscriptionId) {
        GraphServiceClient client = clients.delegated(delegatedAccessToken);
        policy.call("reauthorizeSubscription", true, null, () -> {
            client.subscriptions().bySubscriptionId(subscriptionId).reauthorize().post();
            return null;
        });
    }

    @Override
    public Optional<PresenceSubscription> subscription(String delegatedAccessToken, String subscriptionId) {
        GraphServiceClient client = clients.delegated(delegatedAccessToken);
        try {
            Subscription found = policy.call("getSubscription", true, null,
                    () -> client.subscriptions().bySubscriptionId(subscriptionId).get());
            return Optional.of(toSubscription(found, null, null));
        } catch (GraphException e) {
            if (e.kind() == Kind.NOT_FOUND) {
                return Optional.empty();
            }
            throw e;
        }
    }

    @Override
    public List<PresenceSubscription> subscriptions(String delegatedAccessToken) {
        GraphServiceClient client = clients.delegated(delegatedAccessToken);
        SubscriptionCollectionResponse page = policy.call("listSubscriptions", true, null,
                () -> client.subscriptions().get());
        List<PresenceSubscription> out = new ArrayList<>();
        if (page != null && page.getValue() != null) {
            for (Subscription s : page.getValue()) {
                out.add(toSubscription(s, null, null));
            }
        }
        return out;
    }

    @Override
    public void deleteSubscription(String delegatedAccessToken, String subscriptionId) {
        GraphServiceClient client = clients.delegated(delegatedAccessToken);
        try {
            policy.call("deleteSubscription", true, null, () -> {
                client.subscriptions().bySubscriptionId(subscriptionId).delete();
                return null;
            });
        } catch (GraphException e) {
            if (e.kind() != Kind.NOT_FOUND) {
                throw e;
            }
        }
    }

    private static PresenceSubscription toSubscription(Subscription s, String resource, Instant expiresAt) {
        if (s == null) {
            throw new GraphException(Kind.UNAVAILABLE, 0, "Graph answered a subscription call without a body");
        }
        Instant expiry = s.getExpirationDateTime() != null ? s.getExpirationDateTime().toInstant() : expiresAt;
        return new PresenceSubscription(s.getId(), s.getResource() != null ? s.getResource() : resource, expiry,
                s.getClientState());
    }

    /**
     * Next and delta links carry Graph's own host; only their {@code /users/delta...} part is kept and
     * put on the configured base URL, so a token never goes to a host that is not Graph.
     */
    String rebase(String link) {
        int at = link.indexOf("/users/delta");
        if (at < 0) {
            throw new GraphException(Kind.REJECTED, 0, "Not a users delta link");
        }
        return clients.baseUrl() + link.substring(at);
    }
}

package io.teamsconnector.contactcenter;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.teamsconnector.domain.AgentState;
import io.teamsconnector.domain.ChangeSource;
import io.vertx.core.http.HttpMethod;
import io.vertx.mutiny.core.Vertx;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * {@code webex}: Webex Contact Center's agent state API, {@code PUT {base}/v1/agents/session/state}
 * with {@code state} ({@code Idle} or {@code Available}), {@code auxCodeId}, {@code agentId} and
 * {@code lastStateChangeReason: "TeamsPresenceSync"}, authorized with the configured bearer token.
 */
final class WebexContactCenter implements ContactCenterAdapter {

    /** Webex's idle code id of the Available state. */
    static final String AVAILABLE_AUX_CODE = "0";

    private final URI url;
    private final String token;
    private final HttpSender sender;
    private final ObjectMapper json;

    WebexContactCenter(Vertx vertx, URI base, String token, Duration timeout, ObjectMapper json) {
        String root = base.toString().endsWith("/") ? base.toString().substring(0, base.toString().length() - 1)
                : base.toString();
        this.url = URI.create(root + "/v1/agents/session/state");
        this.token = token;
        this.sender = new HttpSender(vertx, timeout);
        this.json = json;
    }

    /** Webex's StateResourceRequest. */
    @RegisterForReflection // an ObjectMapper writes it outside any endpoint: native must be told
    record StateRequest(String state, String auxCodeId, String agentId, String lastStateChangeReason) {
    }

    @Override
    public boolean sendsChanges() {
        return true;
    }

    @Override
    public CompletableFuture<Delivery> send(UUID idempotencyKey, StateChange change) {
        boolean idle = change.state() == AgentState.IDLE;
        String body;
        try {
            body = json.writeValueAsString(new StateRequest(idle ? "Idle" : "Available",
                    idle ? change.idleCode() : AVAILABLE_AUX_CODE, change.agentId(),
                    ChangeSource.PRESENCE_SYNC_REASON));
        } catch (JsonProcessingException e) {
            return CompletableFuture.completedFuture(new Delivery(Delivery.Outcome.REJECTED, "not serializable"));
        }
        return sender.send(HttpMethod.PUT, url, Map.of(
                "Content-Type", "application/json",
                "Authorization", "Bearer " + token,
                // Webex's tracing header: lets an operator find this change in Webex's logs
                "TrackingID", "teams-connector_" + idempotencyKey), body);
    }

    @Override
    public String toString() {
        return "WebexContactCenter[" + url + "]";
    }
}

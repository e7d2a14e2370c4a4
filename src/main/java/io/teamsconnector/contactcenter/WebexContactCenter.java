package io.teamsconnector.contactcenter;

import io.teamsconnector.contactcenter.webex.WebexCatalog;
import io.teamsconnector.contactcenter.webex.WebexClient;
import io.teamsconnector.contactcenter.webex.WebexException;
import io.teamsconnector.contactcenter.webex.WebexHttp;
import io.teamsconnector.domain.AgentState;
import io.teamsconnector.domain.ChangeSource;
import io.vertx.core.json.JsonObject;

import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * {@code webex}: Webex Contact Center's agent state API, {@code PUT {ccUrl}/v1/agents/session/state}
 * with {@code state} ({@code Idle} or {@code Available}), {@code auxCodeId}, {@code agentId} and
 * {@code lastStateChangeReason: "TeamsPresenceSync"}, with the token of the change's own connector (its Webex
 * link). Available carries the org's default idle code. Webex answers {@code 202}; its echo
 * {@code agent:state_change} confirms the change. A link that needs an administrator keeps the change waiting.
 */
final class WebexContactCenter implements ContactCenterAdapter {

    private final WebexClient webex;
    private final WebexCatalog catalog;

    WebexContactCenter(WebexClient webex, WebexCatalog catalog) {
        this.webex = webex;
        this.catalog = catalog;
    }

    @Override
    public boolean sendsChanges() {
        return true;
    }

    /** Blocking (Webex and the database are waited for): called from the delivery's worker thread. */
    @Override
    public CompletableFuture<Delivery> send(UUID idempotencyKey, StateChange change) {
        return CompletableFuture.completedFuture(deliver(idempotencyKey, change));
    }

    private Delivery deliver(UUID idempotencyKey, StateChange change) {
        boolean idle = change.state() == AgentState.IDLE;
        try {
            String auxCodeId = idle ? change.idleCode() : catalog.defaultIdleCode(change.orgId())
                    .map(WebexClient.IdleCode::id).orElse(null);
            JsonObject body = new JsonObject().put("state", idle ? "Idle" : "Available")
                    .put("auxCodeId", auxCodeId).put("agentId", change.agentId())
                    .put("lastStateChangeReason", ChangeSource.PRESENCE_SYNC_REASON);
            // Webex's tracing header: lets an operator find this change in Webex's logs
            WebexHttp.Answer answer = webex.setState(change.orgId(), body, "teams-connector_" + idempotencyKey);
            Delivery outcome = Delivery.ofStatus(answer.status());
            return answer.status() == 429 ? new Delivery(outcome.outcome(), outcome.detail(), answer.retryAfter())
                    : outcome;
        } catch (WebexException e) {
            return switch (e.kind()) {
                case NOT_LINKED, REAUTHORIZATION_REQUIRED -> new Delivery(Delivery.Outcome.WAIT, e.getMessage());
                case THROTTLED -> new Delivery(Delivery.Outcome.RETRY, e.getMessage(), e.retryAfter());
                case REJECTED, NOT_FOUND -> new Delivery(Delivery.Outcome.REJECTED, e.getMessage());
                default -> Delivery.unreachable(e.getMessage());
            };
        }
    }

    @Override
    public String toString() {
        return "WebexContactCenter[per-connector Webex links]";
    }
}

package io.teamsconnector.connector;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.common.annotation.Blocking;
import io.teamsconnector.contactcenter.webex.WebexCatalog;
import io.teamsconnector.contactcenter.webex.WebexClient;
import io.teamsconnector.contactcenter.webex.WebexException;
import io.teamsconnector.contactcenter.webex.WebexSubscriptions;
import io.teamsconnector.domain.DomainException;
import io.teamsconnector.store.DesktopProfileRepository;
import io.teamsconnector.store.OutboxRepository;
import io.teamsconnector.store.ReactiveBridge;
import io.teamsconnector.store.WebexLinkRepository;
import io.teamsconnector.store.WebexLinkRepository.WebexLinkRow;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.teamsconnector.domain.ConnectorRules.requireId;

/**
 * The connector's Webex side (API.md): unlink, the org's idle codes and desktop profiles as Webex lists
 * them, and the deliveries of state changes. Blocking: these calls wait for Webex and the database.
 */
@Path("/connectors/{orgId}")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class WebexAdminResource {

    private static final Logger LOG = Logger.getLogger(WebexAdminResource.class);
    static final int MAX_DELIVERIES = 500;

    private final ConnectorService connectors;
    private final WebexLinkRepository links;
    private final WebexSubscriptions subscriptions;
    private final WebexCatalog catalog;
    private final DesktopProfileRepository profiles;
    private final OutboxRepository outbox;
    private final ReactiveBridge bridge;
    private final ObjectMapper json;

    public WebexAdminResource(ConnectorService connectors, WebexLinkRepository links, WebexSubscriptions subscriptions,
                              WebexCatalog catalog, DesktopProfileRepository profiles, OutboxRepository outbox,
                              ReactiveBridge bridge, ObjectMapper json) {
        this.connectors = connectors;
        this.links = links;
        this.subscriptions = subscriptions;
        this.catalog = catalog;
        this.profiles = profiles;
        this.outbox = outbox;
        this.bridge = bridge;
        this.json = json;
    }

    /** An idle code as the admin API lists it. */
    public record IdleCodeView(String id, String name, boolean isDefault) {
    }

    public record IdleCodes(List<IdleCodeView> idleCodes) {
    }

    /** A desktop profile: its Webex name when linked, and our switch. */
    public record ProfileView(String profileId, String name, boolean teamsIntegration) {
    }

    public record Profiles(List<ProfileView> profiles) {
    }

    /** One outbox item. */
    public record DeliveryView(UUID id, String agentId, String state, String idleCode, String status, int attempts,
                               String lastError, Instant createdAt) {
    }

    public record Deliveries(List<DeliveryView> deliveries) {
    }

    public record Retried(UUID id, String status) {
    }

    /** Unlinks: deletes the Webex subscription, forgets the tokens. */
    @DELETE
    @Path("/webex")
    public ConnectorView unlink(@PathParam("orgId") String orgId) {
        requireConnector(requireId("orgId", orgId));
        subscriptions.remove(orgId);
        if (bridge.await(() -> links.unlink(orgId))) {
            LOG.infof("Connector %s unlinked from Webex; its tokens are forgotten", orgId);
        }
        catalog.forget(orgId);
        return requireConnector(orgId);
    }

    @GET
    @Path("/idle-codes")
    public IdleCodes idleCodes(@PathParam("orgId") String orgId) {
        requireConnector(requireId("orgId", orgId));
        requireLinked(orgId);
        return new IdleCodes(webex(() -> catalog.idleCodes(orgId)).stream()
                .map(c -> new IdleCodeView(c.id(), c.name(), c.isDefault())).toList());
    }

    @GET
    @Path("/profiles")
    public Profiles profiles(@PathParam("orgId") String orgId) {
        requireConnector(requireId("orgId", orgId));
        Map<String, Boolean> switches = new LinkedHashMap<>();
        bridge.await(() -> Panache.withSession(() -> profiles.list("key.orgId = ?1", orgId))).stream()
                .sorted(java.util.Comparator.comparing(p -> p.key.profileId()))
                .forEach(p -> switches.put(p.key.profileId(), p.teamsIntegration));
        List<ProfileView> out = new ArrayList<>();
        boolean linked = bridge.await(() -> links.find(orgId))
                .filter(l -> WebexLinkRepository.LINKED.equals(l.status())).isPresent();
        if (linked) {
            for (WebexClient.Profile p : webex(() -> catalog.profiles(orgId))) {
                Boolean on = switches.remove(p.id());
                out.add(new ProfileView(p.id(), p.name(), on != null && on));
            }
        }
        // switches of profiles Webex does not list (or no link): shown without a name
        switches.forEach((id, on) -> out.add(new ProfileView(id, null, on)));
        return new Profiles(out);
    }

    @GET
    @Path("/deliveries")
    public Deliveries deliveries(@PathParam("orgId") String orgId, @QueryParam("status") String status) {
        requireConnector(requireId("orgId", orgId));
        String wanted = status == null || status.isBlank() ? "FAILED" : status.trim();
        if (!List.of("FAILED", "PENDING", "WAITING").contains(wanted)) {
            throw DomainException.invalid("status must be FAILED, PENDING or WAITING.");
        }
        return new Deliveries(bridge.await(() -> outbox.list(orgId, wanted, MAX_DELIVERIES)).stream()
                .map(this::view).toList());
    }

    @POST
    @Path("/deliveries/{id}/retry")
    public Retried retry(@PathParam("orgId") String orgId, @PathParam("id") String id) {
        requireConnector(requireId("orgId", orgId));
        UUID itemId;
        try {
            itemId = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw DomainException.notFound("No delivery '" + shorten(id) + "' in organization '" + orgId + "'.");
        }
        return switch (bridge.await(() -> outbox.retry(orgId, itemId))) {
            case QUEUED -> new Retried(itemId, "PENDING");
            case SUPERSEDED -> throw DomainException.conflict("SUPERSEDED",
                    "The agent has moved on since this change was decided; it is not sent again.");
            case NOT_FAILED -> throw DomainException.conflict("NOT_FAILED", "Only a failed delivery can be retried.");
            case NOT_FOUND -> throw DomainException.notFound("No delivery '" + id + "' in organization '" + orgId + "'.");
        };
    }

    private DeliveryView view(OutboxRepository.Listed item) {
        String state = null;
        String idleCode = null;
        try {
            JsonNode payload = json.readTree(item.payload());
            state = payload.path("state").asText(null);
            idleCode = payload.path("idleCode").asText(null);
        } catch (IOException e) {
            // shown without them
        }
        return new DeliveryView(item.id(), item.agentId(), state, idleCode, item.status(), item.attempts(),
                item.lastError(), item.createdAt());
    }

    private ConnectorView requireConnector(String orgId) {
        return bridge.await(() -> connectors.get(orgId));
    }

    private WebexLinkRow requireLinked(String orgId) {
        return bridge.await(() -> links.find(orgId)).orElseThrow(() -> DomainException.conflict("WEBEX_NOT_LINKED",
                "Connector " + orgId + " is not linked to Webex; link it with POST /connectors/" + orgId
                        + "/webex/authorize."));
    }

    /** Runs a Webex read; its failure becomes an answer the administrator can act on. */
    static <T> T webex(java.util.function.Supplier<T> call) {
        try {
            return call.get();
        } catch (WebexException e) {
            throw WebexErrors.toApi(e);
        }
    }

    private static String shorten(String value) {
        return value.length() <= 40 ? value : value.substring(0, 40) + "...";
    }
}

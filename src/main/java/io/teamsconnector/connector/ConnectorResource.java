package io.teamsconnector.connector;

import io.smallrye.mutiny.Uni;
import io.teamsconnector.contactcenter.webex.WebexSubscriptions;
import io.teamsconnector.domain.DomainException;
import io.teamsconnector.domain.ConnectorStatus;
import io.teamsconnector.store.ReactiveBridge;
import io.teamsconnector.graph.SubscriptionRemoval;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.RestResponse;

import java.util.Map;

import static io.teamsconnector.domain.ConnectorRules.requireId;

/** Connector administration (API.md). Thin: validates ids, delegates to {@link ConnectorService}. */
@Path("/connectors/{orgId}")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class ConnectorResource {

    private final ConnectorService service;
    private final SubscriptionRemoval subscriptions;
    private final ReactiveBridge bridge;
    private final WebexSubscriptions webexSubscriptions;
    private final IdleCodeCheck idleCodes;

    public ConnectorResource(ConnectorService service, SubscriptionRemoval subscriptions, ReactiveBridge bridge,
                             WebexSubscriptions webexSubscriptions, IdleCodeCheck idleCodes) {
        this.service = service;
        this.subscriptions = subscriptions;
        this.bridge = bridge;
        this.webexSubscriptions = webexSubscriptions;
        this.idleCodes = idleCodes;
    }

    /** Body {@code {}} (optional); its fields are reserved and ignored. */
    @PUT
    public Uni<RestResponse<ConnectorView>> create(@PathParam("orgId") String orgId, Map<String, Object> body) {
        return service.create(requireId("orgId", orgId)).map(result -> result.created()
                ? RestResponse.status(RestResponse.Status.CREATED, result.connector())
                : RestResponse.ok(result.connector()));
    }

    @GET
    public Uni<ConnectorView> get(@PathParam("orgId") String orgId) {
        return service.get(requireId("orgId", orgId));
    }

    /** Blocking: while Webex is linked, the mapping's idle codes are checked against the org's. */
    @PATCH
    public ConnectorView patch(@PathParam("orgId") String orgId, ConnectorPatch patch) {
        requireId("orgId", orgId);
        ConnectorPatch.requireValid(patch);
        if (patch.stateMapping() != null) {
            idleCodes.requireKnown(orgId, patch.stateMapping());
        }
        return bridge.await(() -> service.patch(orgId, patch));
    }

    /** Blocking: the connector's Graph and Webex subscriptions are deleted before the answer. */
    @POST
    @Path("/deactivate")
    public ConnectorView deactivate(@PathParam("orgId") String orgId) {
        requireId("orgId", orgId);
        bridge.await(() -> service.deactivate(orgId));
        subscriptions.removeAll(orgId);
        webexSubscriptions.remove(orgId);
        return bridge.await(() -> service.get(orgId));
    }

    /** Blocking: a linked connector registers its Webex subscription again. */
    @POST
    @Path("/reactivate")
    public ConnectorView reactivate(@PathParam("orgId") String orgId) {
        requireId("orgId", orgId);
        ConnectorView connector = bridge.await(() -> service.reactivate(orgId));
        if (!"NOT_LINKED".equals(connector.webex().status())) {
            webexSubscriptions.registerQuietly(orgId);
            return bridge.await(() -> service.get(orgId));
        }
        return connector;
    }

    /** Blocking: Graph and Webex subscriptions left over (deactivation could not delete them) are deleted first. */
    @DELETE
    public Deleted delete(@PathParam("orgId") String orgId) {
        requireId("orgId", orgId);
        ConnectorView connector = bridge.await(() -> service.get(orgId));
        if (connector.status() != ConnectorStatus.ACTIVE) {
            subscriptions.removeAll(orgId);
            webexSubscriptions.remove(orgId);
        }
        return new Deleted(true, bridge.await(() -> service.delete(orgId)));
    }

    @PUT
    @Path("/profiles/{profileId}")
    public Uni<ProfileSetting> setProfile(@PathParam("orgId") String orgId, @PathParam("profileId") String profileId,
                                          ProfileSetting body) {
        requireId("orgId", orgId);
        requireId("profileId", profileId);
        if (body == null || body.teamsIntegration() == null) {
            throw DomainException.invalid("Body must be {\"teamsIntegration\": true|false}.");
        }
        return service.setProfile(orgId, profileId, body.teamsIntegration());
    }

    /** Answer of a delete. */
    public record Deleted(boolean deleted, String notice) {
    }
}

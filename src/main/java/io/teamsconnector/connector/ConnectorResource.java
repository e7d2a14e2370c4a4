package io.teamsconnector.connector;

import io.smallrye.mutiny.Uni;
import io.teamsconnector.domain.ApiException;
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

    public ConnectorResource(ConnectorService service, SubscriptionRemoval subscriptions, ReactiveBridge bridge) {
        this.service = service;
        this.subscriptions = subscriptions;
        this.bridge = bridge;
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

    @PATCH
    public Uni<ConnectorView> patch(@PathParam("orgId") String orgId, ConnectorPatch patch) {
        return service.patch(requireId("orgId", orgId), patch);
    }

    /** Blocking: the connector's Graph subscriptions are deleted before the answer. */
    @POST
    @Path("/deactivate")
    public ConnectorView deactivate(@PathParam("orgId") String orgId) {
        requireId("orgId", orgId);
        bridge.await(() -> service.deactivate(orgId));
        subscriptions.removeAll(orgId);
        return bridge.await(() -> service.get(orgId));
    }

    @POST
    @Path("/reactivate")
    public Uni<ConnectorView> reactivate(@PathParam("orgId") String orgId) {
        return service.reactivate(requireId("orgId", orgId));
    }

    /** Blocking: Graph subscriptions left over (deactivation could not delete them) are deleted first. */
    @DELETE
    public Deleted delete(@PathParam("orgId") String orgId) {
        requireId("orgId", orgId);
        ConnectorView connector = bridge.await(() -> service.get(orgId));
        if (connector.status() != ConnectorStatus.ACTIVE) {
            subscriptions.removeAll(orgId);
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
            throw ApiException.badRequest("Body must be {\"teamsIntegration\": true|false}.");
        }
        return service.setProfile(orgId, profileId, body.teamsIntegration());
    }

    /** Answer of a delete. */
    public record Deleted(boolean deleted, String notice) {
    }
}

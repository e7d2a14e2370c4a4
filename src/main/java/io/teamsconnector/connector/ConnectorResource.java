package io.teamsconnector.connector;

import io.smallrye.mutiny.Uni;
import io.teamsconnector.domain.ApiException;
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

import static io.teamsconnector.connector.ConnectorRules.requireId;

/** Connector administration (API.md). Thin: validates ids, delegates to {@link ConnectorService}. */
@Path("/connectors/{orgId}")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class ConnectorResource {

    private final ConnectorService service;

    public ConnectorResource(ConnectorService service) {
        this.service = service;
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

    @POST
    @Path("/deactivate")
    public Uni<ConnectorView> deactivate(@PathParam("orgId") String orgId) {
        return service.deactivate(requireId("orgId", orgId));
    }

    @POST
    @Path("/reactivate")
    public Uni<ConnectorView> reactivate(@PathParam("orgId") String orgId) {
        return service.reactivate(requireId("orgId", orgId));
    }

    @DELETE
    public Uni<Deleted> delete(@PathParam("orgId") String orgId) {
        return service.delete(requireId("orgId", orgId)).map(notice -> new Deleted(true, notice));
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

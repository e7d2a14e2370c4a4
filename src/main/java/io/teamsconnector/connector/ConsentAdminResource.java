package io.teamsconnector.connector;

import io.smallrye.common.annotation.Blocking;
import io.teamsconnector.domain.ConsentKind;
import io.teamsconnector.store.ReactiveBridge;
import io.teamsconnector.store.ServiceAccountRepository;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.time.Instant;
import java.util.List;

import static io.teamsconnector.domain.ConnectorRules.requireId;

/** Admin routes that start a consent (API-key protected like every {@code /connectors} route). */
@Path("/connectors/{orgId}")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class ConsentAdminResource {

    private final ConsentTickets service;
    private final ServiceAccountRepository accounts;
    private final ReactiveBridge bridge;

    public ConsentAdminResource(ConsentTickets service, ServiceAccountRepository accounts, ReactiveBridge bridge) {
        this.service = service;
        this.accounts = accounts;
        this.bridge = bridge;
    }

    /** Answer of both authorize calls. */
    public record AuthorizeUrl(String authorizeUrl) {
    }

    /** A presence service account as the admin API shows it: never a token. */
    public record ServiceAccountView(String userId, String userPrincipalName, Instant createdAt, Instant updatedAt) {
    }

    /** List answer. */
    public record ServiceAccounts(List<ServiceAccountView> serviceAccounts) {
    }

    @POST
    @Path("/authorize")
    public AuthorizeUrl authorize(@PathParam("orgId") String orgId) {
        return new AuthorizeUrl(service.authorizeUrl(requireId("orgId", orgId), ConsentKind.ADMIN_CONSENT));
    }

    @POST
    @Path("/service-accounts/authorize")
    public AuthorizeUrl authorizeServiceAccount(@PathParam("orgId") String orgId) {
        return new AuthorizeUrl(service.authorizeUrl(requireId("orgId", orgId), ConsentKind.SERVICE_ACCOUNT));
    }

    @POST
    @Path("/webex/authorize")
    public AuthorizeUrl authorizeWebex(@PathParam("orgId") String orgId) {
        return new AuthorizeUrl(service.authorizeUrl(requireId("orgId", orgId), ConsentKind.WEBEX_LINK));
    }

    @GET
    @Path("/service-accounts")
    public ServiceAccounts serviceAccounts(@PathParam("orgId") String orgId) {
        service.requireConnector(requireId("orgId", orgId));
        return new ServiceAccounts(bridge.await(() -> accounts.list(orgId)).stream()
                .map(a -> new ServiceAccountView(a.userId(), a.userPrincipalName(), a.createdAt(), a.updatedAt()))
                .toList());
    }
}

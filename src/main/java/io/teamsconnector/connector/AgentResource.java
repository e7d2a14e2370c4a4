package io.teamsconnector.connector;

import io.smallrye.mutiny.Uni;
import io.teamsconnector.agents.AgentService;
import io.teamsconnector.agents.AgentView;
import io.teamsconnector.agents.DecisionView;
import io.teamsconnector.domain.DomainException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import java.util.List;

import static io.teamsconnector.domain.ConnectorRules.requireId;

/** Agents as presence sync sees them, and why it did or did not change them (API.md). */
@Path("/connectors/{orgId}/agents/{agentId}")
@Produces(MediaType.APPLICATION_JSON)
public class AgentResource {

    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 500;

    private final AgentService service;

    public AgentResource(AgentService service) {
        this.service = service;
    }

    /** Answer of the decisions call. */
    public record Decisions(List<DecisionView> decisions) {
    }

    @GET
    public Uni<AgentView> agent(@PathParam("orgId") String orgId, @PathParam("agentId") String agentId) {
        return service.agent(requireId("orgId", orgId), requireId("agentId", agentId));
    }

    @GET
    @Path("/decisions")
    public Uni<Decisions> decisions(@PathParam("orgId") String orgId, @PathParam("agentId") String agentId,
                                    @QueryParam("limit") String limit) {
        return service.decisions(requireId("orgId", orgId), requireId("agentId", agentId), limit(limit))
                .map(Decisions::new);
    }

    static int limit(String value) {
        if (value == null || value.isBlank()) {
            return DEFAULT_LIMIT;
        }
        try {
            int limit = Integer.parseInt(value.trim());
            if (limit >= 1 && limit <= MAX_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw DomainException.invalid("limit must be a whole number from 1 to " + MAX_LIMIT + ".");
    }
}

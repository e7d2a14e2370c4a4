package io.teamsconnector.console;

import io.smallrye.common.annotation.Blocking;
import io.teamsconnector.agents.AgentService;
import io.teamsconnector.agents.AgentView;
import io.teamsconnector.agents.DecisionView;
import io.teamsconnector.connector.WebexAdminResource;
import io.teamsconnector.domain.ConnectorRules;
import io.teamsconnector.domain.DomainException;
import io.teamsconnector.experts.ExpertLookupRequest;
import io.teamsconnector.experts.ExpertLookupService;
import io.teamsconnector.experts.ExpertQuery;
import io.teamsconnector.security.Hashes;
import io.teamsconnector.store.ReactiveBridge;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.List;

/** What happens on a connector: its agents (live), an agent's decision log, failed deliveries, expert lookup. */
@Path("/console/connectors/{orgId}")
@Produces(MediaType.TEXT_HTML)
@Blocking
public class ConsoleActivityResource {

    /** The agents table shows this many agents at most. */
    static final int MAX_AGENTS = 200;
    static final int MAX_DECISIONS = 100;
    static final int LOOKUP_LIMIT = 10;

    private final ConsoleGuard guard;
    private final AgentService agents;
    private final WebexAdminResource webex;
    private final ExpertLookupService experts;
    private final ReactiveBridge bridge;

    public ConsoleActivityResource(ConsoleGuard guard, AgentService agents, WebexAdminResource webex,
                                   ExpertLookupService experts, ReactiveBridge bridge) {
        this.guard = guard;
        this.agents = agents;
        this.webex = webex;
        this.experts = experts;
        this.bridge = bridge;
    }

    /**
     * The agents table, polled every 2 s by the connector page: {@code 204} (htmx keeps the table, and the keyboard
     * focus in it) while it is the table the page already shows ({@code seen}, a hash of it).
     */
    @GET
    @Path("/agents")
    public Response agents(@BeanParam ConsoleRequest request, @PathParam("orgId") String orgId,
                           @QueryParam("seen") String seen) {
        ConsoleSession session = guard.reader(request, orgId);
        List<AgentService.AgentLine> lines = bridge.await(() -> agents.list(orgId, MAX_AGENTS));
        String table = ConsoleTemplates.agentsTable(orgId, lines).render();
        String hash = Hashes.sha256Hex(table).substring(0, 16);
        if (hash.equals(seen)) {
            return Response.noContent().build();
        }
        return ConsoleResource.html(200, ConsoleTemplates.agents(guard.page(session), orgId, table, hash).render());
    }

    /** An agent's decision log: why presence sync did or did not change the agent. */
    @GET
    @Path("/agents/{agentId}")
    public Response agent(@BeanParam ConsoleRequest request, @PathParam("orgId") String orgId,
                          @PathParam("agentId") String agentId) {
        ConsoleSession session = guard.reader(request, orgId);
        try {
            ConnectorRules.requireId("agentId", agentId);
            AgentView agent = bridge.await(() -> agents.agent(orgId, agentId));
            List<DecisionView> decisions = bridge.await(() -> agents.decisions(orgId, agentId, MAX_DECISIONS));
            return ConsoleResource.html(200,
                    ConsoleTemplates.decisions(guard.page(session), orgId, agent, decisions).render());
        } catch (DomainException e) {
            return ConsoleResource.html(404,
                    ConsoleTemplates.refused(guard.page(session), "No such agent", e.getMessage()).render());
        }
    }

    @GET
    @Path("/deliveries")
    public Response deliveries(@BeanParam ConsoleRequest request, @PathParam("orgId") String orgId) {
        return deliveriesFragment(guard.reader(request, orgId), orgId, null, false);
    }

    /** Puts a failed delivery back in the queue; answers the refreshed list with what happened. */
    @POST
    @Path("/deliveries/{id}/retry")
    public Response retry(@BeanParam ConsoleRequest request, @PathParam("orgId") String orgId,
                          @PathParam("id") String id, @FormParam("csrf") String csrf) {
        ConsoleSession session = guard.writer(request, csrf, orgId);
        try {
            webex.retry(orgId, id);
            return deliveriesFragment(session, orgId, "The change is queued again.", false);
        } catch (DomainException e) {
            return deliveriesFragment(session, orgId, e.getMessage(), true);
        }
    }

    /** The expert-lookup try-out: what an agent of this org would find. */
    @POST
    @Path("/experts")
    public Response lookup(@BeanParam ConsoleRequest request, @PathParam("orgId") String orgId,
                           @FormParam("csrf") String csrf, @FormParam("query") String query) {
        guard.writer(request, csrf, orgId);
        try {
            ExpertQuery q = ExpertQuery.from(new ExpertLookupRequest(orgId, query, null, null, LOOKUP_LIMIT, null));
            return ConsoleResource.html(200, ConsoleTemplates.experts(experts.lookup(q), null).render());
        } catch (DomainException e) {
            return ConsoleResource.html(200, ConsoleTemplates.experts(null, e.getMessage()).render());
        }
    }

    private Response deliveriesFragment(ConsoleSession session, String orgId, String note, boolean error) {
        List<WebexAdminResource.DeliveryView> failed = webex.deliveries(orgId, "FAILED").deliveries();
        return ConsoleResource.html(200,
                ConsoleTemplates.deliveries(guard.page(session), orgId, failed, note, error).render());
    }
}

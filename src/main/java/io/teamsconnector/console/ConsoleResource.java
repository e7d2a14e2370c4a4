package io.teamsconnector.console;

import io.smallrye.common.annotation.Blocking;
import io.teamsconnector.connector.ConnectorPatch;
import io.teamsconnector.connector.ConnectorResource;
import io.teamsconnector.connector.ConnectorService;
import io.teamsconnector.connector.ConnectorView;
import io.teamsconnector.connector.ConsentAdminResource;
import io.teamsconnector.connector.ProfileSetting;
import io.teamsconnector.connector.WebexAdminResource;
import io.teamsconnector.domain.ConnectorStatus;
import io.teamsconnector.domain.DomainException;
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
import java.util.Map;

import static io.teamsconnector.domain.ConnectorRules.requireId;

/**
 * The console's connector pages: the list, one connector (status, Authorize, toggles, state mapping, desktop
 * profiles, Webex link), and its lifecycle (Deactivate, Reactivate, Delete). It calls the admin API's own
 * resources and services in-process, so the console and the API cannot disagree.
 */
@Path("/console/connectors")
@Produces(MediaType.TEXT_HTML)
@Blocking
public class ConsoleResource {

    private final ConsoleGuard guard;
    private final ConnectorService connectors;
    private final ConnectorResource api;
    private final ConsentAdminResource consent;
    private final WebexAdminResource webexApi;
    private final ConsoleConnectorPage pages;
    private final ReactiveBridge bridge;

    public ConsoleResource(ConsoleGuard guard, ConnectorService connectors, ConnectorResource api,
                           ConsentAdminResource consent, WebexAdminResource webexApi, ConsoleConnectorPage pages,
                           ReactiveBridge bridge) {
        this.guard = guard;
        this.connectors = connectors;
        this.api = api;
        this.consent = consent;
        this.webexApi = webexApi;
        this.pages = pages;
        this.bridge = bridge;
    }

    @GET
    public Response list(@BeanParam ConsoleRequest request) {
        ConsoleSession session = guard.reader(request);
        List<ConnectorView> all = session.operator() ? bridge.await(connectors::list)
                : List.of(bridge.await(() -> connectors.get(session.orgId())));
        return html(200, ConsoleTemplates.connectors(guard.page(session), all, null).render());
    }

    /** Operators create connectors; the new one opens at once. */
    @POST
    public Response create(@BeanParam ConsoleRequest request, @FormParam("csrf") String csrf,
                           @FormParam("orgId") String orgId) {
        ConsoleSession session = guard.operator(request, csrf);
        try {
            String id = requireId("orgId", orgId == null ? null : orgId.trim());
            bridge.await(() -> connectors.create(id));
            return ConsoleSignInResource.seeOther("/console/connectors/" + id);
        } catch (DomainException e) {
            return html(400, ConsoleTemplates.connectors(guard.page(session), bridge.await(connectors::list),
                    e.getMessage()).render());
        }
    }

    @GET
    @Path("/{orgId}")
    public Response connector(@BeanParam ConsoleRequest request, @PathParam("orgId") String orgId) {
        ConsoleSession session = guard.reader(request, orgId);
        return pages.render(200, guard.page(session), orgId, null);
    }

    /** The status and lifecycle buttons, polled by the page: {@code 204} while the status is still {@code seen}. */
    @GET
    @Path("/{orgId}/lifecycle")
    public Response lifecycle(@BeanParam ConsoleRequest request, @PathParam("orgId") String orgId,
                              @QueryParam("seen") String seen) {
        ConsoleSession session = guard.reader(request, orgId);
        ConnectorView connector;
        try {
            connector = bridge.await(() -> connectors.get(orgId));
        } catch (DomainException e) {
            return Response.noContent().build();
        }
        String now = connector.status().name() + ":" + connector.webex().status();
        if (now.equals(seen)) {
            return Response.noContent().build();
        }
        return html(200, ConsoleTemplates.lifecycle(guard.page(session), connector, now).render());
    }

    /**
     * Opens a sign-in of the connector's: the admin consent ({@code consent}), the Webex link ({@code webex}) or a
     * presence service account ({@code service-account}). The page's script opens the answered URL in a new window.
     */
    @POST
    @Path("/{orgId}/authorize/{what}")
    @Produces(MediaType.APPLICATION_JSON)
    public Response authorize(@BeanParam ConsoleRequest request, @PathParam("orgId") String orgId,
                              @PathParam("what") String what) {
        guard.writer(request, null, orgId);
        java.util.function.Supplier<ConsentAdminResource.AuthorizeUrl> open = switch (what) {
            case "consent" -> () -> consent.authorize(orgId);
            case "webex" -> () -> consent.authorizeWebex(orgId);
            case "service-account" -> () -> consent.authorizeServiceAccount(orgId);
            default -> null;
        };
        if (open == null) {
            return Response.status(404).build();
        }
        try {
            return Response.ok(open.get()).type(MediaType.APPLICATION_JSON_TYPE).build();
        } catch (DomainException e) {
            return Response.status(409).type(MediaType.APPLICATION_JSON_TYPE)
                    .entity(Map.of("message", e.getMessage())).build();
        }
    }

    /** One of the toggles ("Presence sync", "Show user details", "Teams write-back"), saved at once. */
    @POST
    @Path("/{orgId}/settings")
    public Response setting(@BeanParam ConsoleRequest request, @PathParam("orgId") String orgId,
                            @FormParam("csrf") String csrf, @FormParam("setting") String setting,
                            @FormParam("on") String on) {
        guard.writer(request, csrf, orgId);
        boolean value = on != null;
        ConnectorPatch patch = switch (setting == null ? "" : setting) {
            case "presenceSync" -> new ConnectorPatch(value, null, null, null, null);
            case "showUserDetails" -> new ConnectorPatch(null, value, null, null, null);
            case "teamsWriteBack" -> new ConnectorPatch(null, null, null, value, null);
            default -> null;
        };
        if (patch == null) {
            return message("Unknown setting.", true);
        }
        String label = switch (setting) {
            case "presenceSync" -> "Presence sync";
            case "showUserDetails" -> "Show user details";
            default -> "Teams write-back";
        };
        return saved(() -> api.patch(orgId, patch), label + " is " + (value ? "on" : "off") + ".");
    }

    /** The state mapping: one row per Teams state; an empty idle code leaves the state unmapped. */
    @POST
    @Path("/{orgId}/mapping")
    public Response mapping(@BeanParam ConsoleRequest request, @PathParam("orgId") String orgId,
                            @FormParam("csrf") String csrf, @FormParam("state") List<String> states,
                            @FormParam("code") List<String> codes) {
        guard.writer(request, csrf, orgId);
        Map<String, String> mapping;
        try {
            mapping = StateMappingForm.read(states, codes);
        } catch (DomainException e) {
            return message(e.getMessage(), true);
        }
        return saved(() -> api.patch(orgId, new ConnectorPatch(null, null, mapping, null, null)),
                "State mapping saved (" + mapping.size() + (mapping.size() == 1 ? " state)." : " states)."));
    }

    /** A desktop profile's "Teams integration" switch, saved at once. */
    @POST
    @Path("/{orgId}/profiles")
    public Response profile(@BeanParam ConsoleRequest request, @PathParam("orgId") String orgId,
                            @FormParam("csrf") String csrf, @FormParam("profileId") String profileId,
                            @FormParam("on") String on, @FormParam("add") String add) {
        guard.writer(request, csrf, orgId);
        boolean value = on != null;
        String id = profileId == null ? null : profileId.trim();
        try {
            bridge.await(() -> api.setProfile(orgId, id, new ProfileSetting(id, value)));
        } catch (DomainException e) {
            return add != null ? pages.render(400, guard.page(guard.reader(request)), orgId, e.getMessage())
                    : message(e.getMessage(), true);
        }
        if (add != null) {
            return ConsoleSignInResource.seeOther("/console/connectors/" + orgId + "#profiles");
        }
        return message("Teams integration is " + (value ? "on" : "off") + " for desktop profile " + id + ".",
                false);
    }

    @POST
    @Path("/{orgId}/deactivate")
    public Response deactivate(@BeanParam ConsoleRequest request, @PathParam("orgId") String orgId,
                               @FormParam("csrf") String csrf) {
        return lifecycleAction(request, orgId, csrf, () -> api.deactivate(orgId));
    }

    @POST
    @Path("/{orgId}/reactivate")
    public Response reactivate(@BeanParam ConsoleRequest request, @PathParam("orgId") String orgId,
                               @FormParam("csrf") String csrf) {
        return lifecycleAction(request, orgId, csrf, () -> api.reactivate(orgId));
    }

    @POST
    @Path("/{orgId}/webex/unlink")
    public Response unlinkWebex(@BeanParam ConsoleRequest request, @PathParam("orgId") String orgId,
                                @FormParam("csrf") String csrf) {
        return lifecycleAction(request, orgId, csrf, () -> webexApi.unlink(orgId));
    }

    /** Delete asks first: this page, with the connector's name and what deleting does. */
    @GET
    @Path("/{orgId}/delete")
    public Response confirmDelete(@BeanParam ConsoleRequest request, @PathParam("orgId") String orgId) {
        ConsoleSession session = guard.reader(request, orgId);
        ConnectorView connector = bridge.await(() -> connectors.get(orgId));
        if (connector.status() == ConnectorStatus.ACTIVE) {
            return pages.render(409, guard.page(session), orgId, "An active connector cannot be deleted; deactivate "
                    + "it first.");
        }
        return html(200, ConsoleTemplates.confirmDelete(guard.page(session), connector).render());
    }

    @POST
    @Path("/{orgId}/delete")
    public Response delete(@BeanParam ConsoleRequest request, @PathParam("orgId") String orgId,
                           @FormParam("csrf") String csrf) {
        ConsoleSession session = guard.writer(request, csrf, orgId);
        ConnectorResource.Deleted deleted;
        try {
            deleted = api.delete(orgId);
        } catch (DomainException e) {
            return pages.render(409, guard.page(session), orgId, e.getMessage());
        }
        return html(200, ConsoleTemplates.deleted(guard.page(session), orgId, deleted.notice()).render());
    }

    private Response lifecycleAction(ConsoleRequest request, String orgId, String csrf, Runnable action) {
        ConsoleSession session = guard.writer(request, csrf, orgId);
        try {
            action.run();
        } catch (DomainException e) {
            return pages.render(409, guard.page(session), orgId, e.getMessage());
        }
        return ConsoleSignInResource.seeOther("/console/connectors/" + orgId);
    }

    private Response saved(Runnable save, String done) {
        try {
            save.run();
        } catch (DomainException e) {
            return message(e.getMessage(), true);
        }
        return message(done, false);
    }

    /** A short answer for htmx, an error or a confirmation: always {@code 200}, so that htmx shows it. */
    static Response message(String text, boolean error) {
        return html(200, ConsoleTemplates.message(text, error).render());
    }

    static Response html(int status, String body) {
        return Response.status(status).type(MediaType.TEXT_HTML_TYPE).entity(body).build();
    }
}

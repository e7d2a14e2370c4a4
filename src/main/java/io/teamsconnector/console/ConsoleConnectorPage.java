package io.teamsconnector.console;

import io.teamsconnector.connector.ConnectorService;
import io.teamsconnector.connector.ConnectorView;
import io.teamsconnector.connector.ConsentAdminResource;
import io.teamsconnector.connector.WebexAdminResource;
import io.teamsconnector.domain.DomainException;
import io.teamsconnector.graph.SdkGraphGateway;
import io.teamsconnector.store.ReactiveBridge;
import io.teamsconnector.store.SubscriptionRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;

import java.util.List;

/** Gathers what a connector's page shows, through the admin API's own resources and services. */
@ApplicationScoped
public class ConsoleConnectorPage {

    private final ConnectorService connectors;
    private final WebexAdminResource webex;
    private final ConsentAdminResource consent;
    private final SubscriptionRepository subscriptions;
    private final ReactiveBridge bridge;

    public ConsoleConnectorPage(ConnectorService connectors, WebexAdminResource webex, ConsentAdminResource consent,
                                SubscriptionRepository subscriptions, ReactiveBridge bridge) {
        this.connectors = connectors;
        this.webex = webex;
        this.consent = consent;
        this.subscriptions = subscriptions;
        this.bridge = bridge;
    }

    /** Everything on the page. {@code idleCodes} is null when the mapping takes free text (no Webex link). */
    public record Model(ConnectorView connector, String lifecycleSeen, List<StateMappingForm.Row> mapping,
                        List<String> otherStates, List<WebexAdminResource.IdleCodeView> idleCodes, String idleCodesNote,
                        List<WebexAdminResource.ProfileView> profiles, String profilesNote,
                        List<ConsentAdminResource.ServiceAccountView> serviceAccounts, Coverage coverage,
                        String error) {

        /** True when the idle code is one of the org's (always, when the mapping is free text). */
        public boolean knownCode(String code) {
            return idleCodes == null || idleCodes.stream().anyMatch(c -> c.id().equals(code));
        }
    }

    /** Subscribed Teams users against what the presence service accounts can hold (650 per account). */
    public record Coverage(int subscribed, int capacity) {
    }

    /** The page, or the connectors list with a notice when the connector no longer exists. */
    Response render(int status, ConsolePage page, String orgId, String error) {
        ConnectorView connector;
        try {
            connector = bridge.await(() -> connectors.get(orgId));
        } catch (DomainException e) {
            return ConsoleResource.html(404, ConsoleTemplates.refused(page, "No such connector", e.getMessage())
                    .render());
        }
        return ConsoleResource.html(status, ConsoleTemplates.connector(page, model(connector, error)).render());
    }

    Model model(ConnectorView connector, String error) {
        String orgId = connector.orgId();
        List<WebexAdminResource.IdleCodeView> idleCodes = null;
        String idleCodesNote = null;
        if ("LINKED".equals(connector.webex().status())) {
            try {
                idleCodes = webex.idleCodes(orgId).idleCodes();
            } catch (DomainException e) {
                idleCodesNote = "The idle codes could not be read from Webex: " + e.getMessage();
            }
        }
        List<WebexAdminResource.ProfileView> profiles = List.of();
        String profilesNote = null;
        try {
            profiles = webex.profiles(orgId).profiles();
        } catch (DomainException e) {
            profilesNote = "The desktop profiles could not be read from Webex: " + e.getMessage();
        }
        List<ConsentAdminResource.ServiceAccountView> accounts = consent.serviceAccounts(orgId).serviceAccounts();
        int subscribed = bridge.await(() -> subscriptions.list(orgId)).stream()
                .mapToInt(s -> s.userIds() == null ? 0 : s.userIds().size()).sum();
        return new Model(connector, connector.status().name() + ":" + connector.webex().status(),
                StateMappingForm.rows(connector.stateMapping()), StateMappingForm.others(connector.stateMapping()),
                idleCodes, idleCodesNote, profiles, profilesNote, accounts,
                new Coverage(subscribed, accounts.size() * SdkGraphGateway.MAX_PRESENCE_IDS), error);
    }
}

package io.teamsconnector.console;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.teamsconnector.agents.AgentService;
import io.teamsconnector.agents.AgentView;
import io.teamsconnector.agents.DecisionView;
import io.teamsconnector.connector.ConnectorView;
import io.teamsconnector.connector.WebexAdminResource;

import java.util.List;

/** The console's Qute templates ({@code src/main/resources/templates/console/}). */
@CheckedTemplate(basePath = "console", requireTypeSafeExpressions = false)
final class ConsoleTemplates {

    private ConsoleTemplates() {
    }

    static native TemplateInstance signIn(ConsolePage page, String signIn, String error, boolean webex);

    static native TemplateInstance signedIn(ConsolePage page, String target);

    static native TemplateInstance refused(ConsolePage page, String title, String message);

    static native TemplateInstance connectors(ConsolePage page, List<ConnectorView> connectors, String error);

    static native TemplateInstance connector(ConsolePage page, ConsoleConnectorPage.Model model);

    static native TemplateInstance lifecycle(ConsolePage page, ConnectorView connector, String seen);

    static native TemplateInstance message(String text, boolean error);

    static native TemplateInstance confirmDelete(ConsolePage page, ConnectorView connector);

    static native TemplateInstance deleted(ConsolePage page, String orgId, String notice);

    static native TemplateInstance agents(ConsolePage page, String orgId, String table, String seen);

    static native TemplateInstance agentsTable(String orgId, List<AgentService.AgentLine> agents);

    static native TemplateInstance decisions(ConsolePage page, String orgId, AgentView agent,
                                             List<DecisionView> decisions);

    static native TemplateInstance deliveries(ConsolePage page, String orgId,
                                              List<WebexAdminResource.DeliveryView> deliveries, String note,
                                              boolean error);

    static native TemplateInstance experts(io.teamsconnector.experts.ExpertLookupResult result, String error);
}

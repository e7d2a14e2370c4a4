package io.teamsconnector.support;

import java.util.HashMap;
import java.util.Map;

/** The long-running service with {@code CONNECTOR_CONTACT_CENTER=webex}: state changes go to the Webex fake. */
public class WebexContactCenterService extends LongRunningService {

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> overrides = new HashMap<>(super.getConfigOverrides());
        overrides.put("connector.contact-center", "webex");
        return overrides;
    }
}

package io.teamsconnector.connector;

import java.util.Map;

/** Body of {@code PATCH /connectors/{orgId}}: absent fields stay as they are; a mapping replaces the old one. */
public record ConnectorPatch(Boolean presenceSync, Boolean showUserDetails, Map<String, String> stateMapping) {
}

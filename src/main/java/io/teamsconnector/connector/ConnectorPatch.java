package io.teamsconnector.connector;

import io.teamsconnector.domain.DomainException;
import io.teamsconnector.domain.ConnectorRules;

import java.util.Map;

/** Body of {@code PATCH /connectors/{orgId}}: absent fields stay as they are; a mapping replaces the old one. */
public record ConnectorPatch(Boolean presenceSync, Boolean showUserDetails, Map<String, String> stateMapping,
                             Boolean teamsWriteBack, Map<String, String> writeBackMapping) {

    /** Validates a whole patch before anything is loaded or changed. */
    static void requireValid(ConnectorPatch patch) {
        if (patch == null) {
            throw DomainException.invalid("A JSON object with presenceSync, showUserDetails, stateMapping, "
                    + "teamsWriteBack or writeBackMapping is required.");
        }
        if (patch.stateMapping() != null) {
            ConnectorRules.requireValidMapping(patch.stateMapping());
        }
        if (patch.writeBackMapping() != null) {
            ConnectorRules.requireValidWriteBackMapping(patch.writeBackMapping());
        }
    }
}

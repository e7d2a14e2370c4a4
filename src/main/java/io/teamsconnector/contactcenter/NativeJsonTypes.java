package io.teamsconnector.contactcenter;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.teamsconnector.domain.TeamsPresence;

/**
 * Types written and read with Jackson outside any endpoint (outbox payloads, outbound bodies): the
 * native image keeps their reflection data only when told.
 */
@RegisterForReflection(targets = {StateChange.class, TeamsPresence.class, WebhookContactCenter.Body.class,
    WebexContactCenter.StateRequest.class})
final class NativeJsonTypes {

    private NativeJsonTypes() {
    }
}

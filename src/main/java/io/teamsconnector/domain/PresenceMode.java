package io.teamsconnector.domain;

/** How presence reaches a connector: polling only, or Graph subscriptions with polling underneath. */
public enum PresenceMode {
    POLL, SUBSCRIBE
}

package io.teamsconnector.domain;

/** Lifecycle of a connector (BEHAVIOR.md, Connector lifecycle). */
public enum ConnectorStatus {
    PENDING_CONSENT, ACTIVE, INACTIVE
}

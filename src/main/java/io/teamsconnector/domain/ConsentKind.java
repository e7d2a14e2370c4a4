package io.teamsconnector.domain;

/** What a consent transaction grants. */
public enum ConsentKind {
    /** Admin consent to the application permissions: makes the connector ACTIVE. */
    ADMIN_CONSENT,
    /** Delegated sign-in of a presence service account (authorization code). */
    SERVICE_ACCOUNT,
    /** Sign-in of a Webex administrator (authorization code): links the connector to its Webex org. */
    WEBEX_LINK
}

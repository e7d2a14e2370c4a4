package io.teamsconnector.connector;

/** Body and answer of {@code PUT /connectors/{orgId}/profiles/{profileId}}. */
public record ProfileSetting(String profileId, Boolean teamsIntegration) {
}

package io.teamsconnector.experts;

import java.util.List;

/** Answer of {@code POST /expert-lookup}: experts, or none with the reason lookup is unavailable. */
public record ExpertLookupResult(List<Expert> experts, UnavailableReason unavailableReason) {

    public static ExpertLookupResult unavailable(UnavailableReason reason) {
        return new ExpertLookupResult(List.of(), reason);
    }

    public static ExpertLookupResult of(List<Expert> experts) {
        return new ExpertLookupResult(experts, null);
    }

    /** Why lookup returned nothing on purpose. */
    public enum UnavailableReason {
        NO_CONNECTOR, CONNECTOR_INACTIVE, USER_DETAILS_DISABLED, PROFILE_DISABLED
    }

    /** One expert; {@code presence} is null when it could not be read in time. */
    public record Expert(String id, String displayName, String jobTitle, String department, String businessPhone,
                         Presence presence) {
    }

    /** Live Teams presence of an expert. */
    public record Presence(String availability, String activity) {
    }
}

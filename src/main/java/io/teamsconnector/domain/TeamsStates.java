package io.teamsconnector.domain;

import java.util.Set;

/** The availability and activity names Graph uses for presence (BEHAVIOR.md). */
public final class TeamsStates {

    public static final Set<String> AVAILABILITIES = Set.of(
            "Available", "AvailableIdle", "Away", "BeRightBack", "Busy", "BusyIdle", "DoNotDisturb",
            "Offline", "PresenceUnknown");

    public static final Set<String> ACTIVITIES = Set.of(
            "Available", "Away", "BeRightBack", "Busy", "DoNotDisturb", "InACall", "InAConferenceCall",
            "Inactive", "InAMeeting", "Offline", "OffWork", "OutOfOffice", "PresenceUnknown", "Presenting",
            "UrgentInterruptionsOnly");

    private TeamsStates() {
    }

    /** True when the name is a Graph availability or activity value, exactly as Graph spells it. */
    public static boolean isKnown(String name) {
        return AVAILABILITIES.contains(name) || ACTIVITIES.contains(name);
    }
}

package io.teamsconnector.domain;

import io.teamsconnector.domain.DomainException;
import io.teamsconnector.domain.TeamsStates;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Input rules for connector administration, in plain Java so unit tests reach them without HTTP. */
public final class ConnectorRules {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    static final int MAX_IDLE_CODE_LENGTH = 64;

    private ConnectorRules() {
    }

    /** Organization, profile and agent ids: 1 to 64 of {@code [A-Za-z0-9._-]}. */
    public static String requireId(String what, String value) {
        if (value == null || !ID.matcher(value).matches()) {
            throw DomainException.invalid(what + " must be 1 to 64 characters of A-Z, a-z, 0-9, '.', '_' or '-'.");
        }
        return value;
    }

    /** The contact-center channels a write-back mapping may name. */
    public static final Set<String> WRITE_BACK_CHANNELS = Set.of("voice", "chat", "email", "social");

    /** The presences Graph's {@code setPresence} accepts, as {@code Availability/Activity}. */
    public static final List<String> WRITE_BACK_PRESENCES = List.of("Available/Available", "Busy/InACall",
            "Busy/InAConferenceCall", "Away/Away", "DoNotDisturb/Presenting");

    /** Keys are contact-center channels; values presences {@code setPresence} accepts ({@link #WRITE_BACK_PRESENCES}). */
    public static void requireValidWriteBackMapping(Map<String, String> mapping) {
        for (Map.Entry<String, String> entry : mapping.entrySet()) {
            if (!WRITE_BACK_CHANNELS.contains(entry.getKey())) {
                throw DomainException.invalid("writeBackMapping key '" + shorten(entry.getKey())
                        + "' is not a channel: voice, chat, email or social.");
            }
            if (entry.getValue() == null || !WRITE_BACK_PRESENCES.contains(entry.getValue())) {
                throw DomainException.invalid("writeBackMapping value for '" + entry.getKey()
                        + "' must be one of " + String.join(", ", WRITE_BACK_PRESENCES)
                        + " (the presences Microsoft Graph lets an application set).");
            }
        }
    }

    private static String shorten(String value) {
        return value == null || value.length() <= 40 ? String.valueOf(value) : value.substring(0, 40) + "...";
    }

    /** Keys are Graph availability or activity names; values idle code ids of 1..64 characters. */
    public static void requireValidMapping(Map<String, String> mapping) {
        for (Map.Entry<String, String> entry : mapping.entrySet()) {
            if (!TeamsStates.isKnown(entry.getKey())) {
                throw DomainException.invalid("stateMapping key '" + entry.getKey()
                        + "' is not a Teams availability or activity name (for example InACall, DoNotDisturb, Presenting).");
            }
            String code = entry.getValue();
            if (code == null || code.isBlank() || code.length() > MAX_IDLE_CODE_LENGTH) {
                throw DomainException.invalid("stateMapping value for '" + entry.getKey()
                        + "' must be an idle code id of 1 to 64 characters.");
            }
        }
    }
}

package io.teamsconnector.domain;

import io.teamsconnector.domain.DomainException;
import io.teamsconnector.domain.TeamsStates;

import java.util.Map;
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

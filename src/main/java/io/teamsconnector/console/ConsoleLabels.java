package io.teamsconnector.console;

import io.quarkus.qute.TemplateExtension;
import io.teamsconnector.domain.ConnectorStatus;

/** How the console names states and statuses, and the badge colour of each (template extensions). */
@TemplateExtension
final class ConsoleLabels {

    private ConsoleLabels() {
    }

    /** "Active", "Inactive", "Pending consent": the product text's words. */
    static String label(ConnectorStatus status) {
        return switch (status) {
            case ACTIVE -> "Active";
            case INACTIVE -> "Inactive";
            case PENDING_CONSENT -> "Pending consent";
        };
    }

    static String badge(ConnectorStatus status) {
        return switch (status) {
            case ACTIVE -> "good";
            case INACTIVE -> "neutral";
            case PENDING_CONSENT -> "waiting";
        };
    }

    static String webexLabel(String status) {
        return switch (status) {
            case "LINKED" -> "Linked";
            case "REAUTHORIZATION_REQUIRED" -> "Link again";
            default -> "Not linked";
        };
    }

    static String webexBadge(String status) {
        return switch (status) {
            case "LINKED" -> "good";
            case "REAUTHORIZATION_REQUIRED" -> "bad";
            default -> "neutral";
        };
    }

    /** "DoNotDisturb" reads "Do not disturb". */
    static String teamsLabel(String state) {
        return StateMappingForm.label(state);
    }

    /** An enum name as words: "PRESENCE_SYNC" reads "Presence sync". */
    static String agentLabel(String name) {
        String words = name.replace('_', ' ').toLowerCase();
        return words.isEmpty() ? words : Character.toUpperCase(words.charAt(0)) + words.substring(1);
    }
}

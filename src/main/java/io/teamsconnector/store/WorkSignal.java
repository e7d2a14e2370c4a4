package io.teamsconnector.store;

/**
 * Work that one function leaves for another: a stored Graph notification to process, a connector's
 * subscriptions to check, a signed-in agent's presence to read. Sent through {@link WorkSignals}.
 * {@code orgId} and {@code agentId} are set where the kind needs them.
 */
public record WorkSignal(Kind kind, String orgId, String agentId) {

    public enum Kind {
        /** Graph notifications were stored in the inbox. */
        INBOX,
        /** A connector's subscriptions need a check now (lifecycle events). */
        SUBSCRIPTIONS,
        /** An agent signed in or became Available: read its presence now. */
        PRESENCE_READ
    }

    public static WorkSignal inbox() {
        return new WorkSignal(Kind.INBOX, null, null);
    }

    public static WorkSignal subscriptions(String orgId) {
        return new WorkSignal(Kind.SUBSCRIPTIONS, orgId, null);
    }

    public static WorkSignal presenceRead(String orgId, String agentId) {
        return new WorkSignal(Kind.PRESENCE_READ, orgId, agentId);
    }

    /** The NOTIFY payload: kind, orgId and agentId separated by tabs (ids never hold a tab). */
    public String payload() {
        return kind + "\t" + (orgId == null ? "" : orgId) + "\t" + (agentId == null ? "" : agentId);
    }

    /** The signal of a NOTIFY payload, or null when it is not one of ours. */
    public static WorkSignal parse(String payload) {
        if (payload == null) {
            return null;
        }
        String[] parts = payload.split("\t", -1);
        if (parts.length != 3) {
            return null;
        }
        Kind kind;
        try {
            kind = Kind.valueOf(parts[0]);
        } catch (IllegalArgumentException e) {
            return null;
        }
        return new WorkSignal(kind, parts[1].isEmpty() ? null : parts[1], parts[2].isEmpty() ? null : parts[2]);
    }
}

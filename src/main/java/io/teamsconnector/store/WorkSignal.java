package io.teamsconnector.store;

/**
 * Work that one function leaves for another: a stored Graph notification to process, a connector's
 * subscriptions to check, a signed-in agent's presence to read. Sent through {@link WorkSignals}.
 * {@code orgId} and {@code agentId} are set where the kind needs them. {@code sentAt} is the database's clock
 * (microseconds since the epoch) when the signal went out as a {@code NOTIFY}, and null in-process: every listener
 * hears a {@code NOTIFY}, so two {@code sync} replicas use it to do the work once (see {@link JobLeaseRepository}).
 */
public record WorkSignal(Kind kind, String orgId, String agentId, Long sentAt) {

    public enum Kind {
        /** Graph notifications were stored in the inbox. */
        INBOX,
        /** A connector's subscriptions need a check now (lifecycle events). */
        SUBSCRIPTIONS,
        /** An agent signed in or became Available: read its presence now. */
        PRESENCE_READ,
        /**
         * A connector's switches changed (sync, a profile's Teams integration, status, write-back): undo what no
         * longer applies, and bring the Teams presence written for its agents in line.
         */
        SETTINGS,
        /** Agents' contact-center states changed, or a new consent came: write their Teams presence now. */
        WRITE_BACK
    }

    public static WorkSignal inbox() {
        return new WorkSignal(Kind.INBOX, null, null, null);
    }

    public static WorkSignal subscriptions(String orgId) {
        return new WorkSignal(Kind.SUBSCRIPTIONS, orgId, null, null);
    }

    public static WorkSignal settings(String orgId) {
        return new WorkSignal(Kind.SETTINGS, orgId, null, null);
    }

    public static WorkSignal writeBack(String orgId) {
        return new WorkSignal(Kind.WRITE_BACK, orgId, null, null);
    }

    public static WorkSignal presenceRead(String orgId, String agentId) {
        return new WorkSignal(Kind.PRESENCE_READ, orgId, agentId, null);
    }

    /**
     * The NOTIFY payload as the sender writes it: kind, orgId and agentId separated by tabs (ids never hold a
     * tab). {@link WorkSignals} appends the database's clock as a fourth field.
     */
    public String payload() {
        return kind + "\t" + (orgId == null ? "" : orgId) + "\t" + (agentId == null ? "" : agentId);
    }

    /** The signal of a NOTIFY payload, or null when it is not one of ours. */
    public static WorkSignal parse(String payload) {
        if (payload == null) {
            return null;
        }
        String[] parts = payload.split("\t", -1);
        if (parts.length != 3 && parts.length != 4) {
            return null;
        }
        Kind kind;
        try {
            kind = Kind.valueOf(parts[0]);
        } catch (IllegalArgumentException e) {
            return null;
        }
        Long sentAt = null;
        if (parts.length == 4) {
            try {
                sentAt = Long.valueOf(parts[3]);
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return new WorkSignal(kind, parts[1].isEmpty() ? null : parts[1], parts[2].isEmpty() ? null : parts[2], sentAt);
    }
}

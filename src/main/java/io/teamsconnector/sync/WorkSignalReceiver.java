package io.teamsconnector.sync;

import io.teamsconnector.store.WorkSignal;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Where work signals land in the sync engine, whether fired in this process or heard from PostgreSQL
 * ({@link WorkListener}): each one starts its work on a worker at once, so the sender never waits.
 */
@ApplicationScoped
public class WorkSignalReceiver {

    private final InboxProcessor inbox;
    private final PresenceSubscriptions subscriptions;
    private final ImmediateReads reads;
    private final SyncOffRestorer restorer;
    private final TeamsWriteBack writeBack;

    public WorkSignalReceiver(InboxProcessor inbox, PresenceSubscriptions subscriptions, ImmediateReads reads,
                              SyncOffRestorer restorer, TeamsWriteBack writeBack) {
        this.inbox = inbox;
        this.subscriptions = subscriptions;
        this.reads = reads;
        this.restorer = restorer;
        this.writeBack = writeBack;
    }

    void receive(@Observes WorkSignal signal) {
        switch (signal.kind()) {
            case INBOX -> inbox.soon();
            case SUBSCRIPTIONS -> {
                if (signal.orgId() != null) {
                    subscriptions.soon(signal.orgId());
                }
            }
            case SETTINGS -> {
                if (signal.orgId() != null) {
                    restorer.soon(signal.orgId());
                    writeBack.settingsChanged(signal.orgId());
                }
            }
            case WRITE_BACK -> writeBack.soon();
            case PRESENCE_READ -> {
                if (signal.orgId() != null && signal.agentId() != null) {
                    reads.request(signal.orgId(), signal.agentId(), signal.sentAt());
                }
            }
        }
    }
}

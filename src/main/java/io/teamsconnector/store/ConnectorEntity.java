package io.teamsconnector.store;

import io.teamsconnector.domain.ConnectorStatus;
import io.teamsconnector.domain.PresenceMode;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import org.hibernate.annotations.Formula;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One connector per contact-center organization: the one full Java view of a connector, and the one writer
 * of table {@code connectors} (issue 13.4). {@code version} guards concurrent updates.
 *
 * <p>Status, tenant and presence mode are not the administrator's to write: they come from the view
 * {@code connector_states} (V9), which derives the status from {@link #deactivated} and the consent the
 * consent flow records ({@code entra_consents}), and reads the presence mode the subscription upkeep records
 * ({@code subscription_checks}). They are read-only here ({@link Formula}); after a change, reload the entity
 * to see them move.
 */
@Entity
@Table(name = "connectors")
public class ConnectorEntity {

    @Id
    @Column(name = "org_id")
    public String orgId;

    /** The tenant that granted admin consent, null before it. Read-only: {@code entra_consents}. */
    @Formula("(SELECT s.tenant_id FROM connector_states s WHERE s.org_id = org_id)")
    public String tenantId;

    /** Derived by {@code connector_states}; read-only. */
    @Enumerated(EnumType.STRING)
    @Formula("(SELECT s.status FROM connector_states s WHERE s.org_id = org_id)")
    public ConnectorStatus status;

    /** The administrator deactivated the connector (and has not reactivated it). */
    @Column(name = "deactivated")
    public boolean deactivated;

    @Column(name = "presence_sync")
    public boolean presenceSync;

    @Column(name = "show_user_details")
    public boolean showUserDetails;

    /** Teams activity or availability name to idle code id. */
    @Convert(converter = StateMappingConverter.class)
    @Column(name = "state_mapping", columnDefinition = "text")
    public Map<String, String> stateMapping = new LinkedHashMap<>();

    /** Contact center to Teams: the agents' contact-center state is written to their Teams presence. */
    @Column(name = "teams_write_back")
    public boolean teamsWriteBack;

    /** Channel (voice, chat, email, social) to {@code Availability/Activity} written while ENGAGED on it. */
    @Convert(converter = StateMappingConverter.class)
    @Column(name = "write_back_mapping", columnDefinition = "text")
    public Map<String, String> writeBackMapping = new LinkedHashMap<>();

    /** How presence reaches the connector. Read-only: the subscription upkeep records it. */
    @Enumerated(EnumType.STRING)
    @Formula("(SELECT s.presence_mode FROM connector_states s WHERE s.org_id = org_id)")
    public PresenceMode presenceMode;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "updated_at")
    public Instant updatedAt;

    @Version
    public long version;
}

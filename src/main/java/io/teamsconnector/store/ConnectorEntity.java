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

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** One connector per contact-center organization. {@code version} guards concurrent updates. */
@Entity
@Table(name = "connectors")
public class ConnectorEntity {

    @Id
    @Column(name = "org_id")
    public String orgId;

    @Column(name = "tenant_id")
    public String tenantId;

    @Enumerated(EnumType.STRING)
    public ConnectorStatus status;

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

    @Enumerated(EnumType.STRING)
    // written by the subscription upkeep alone (SubscriptionRepository.presenceMode), never by a settings update
    @Column(name = "presence_mode", updatable = false)
    public PresenceMode presenceMode;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "updated_at")
    public Instant updatedAt;

    @Version
    public long version;
}

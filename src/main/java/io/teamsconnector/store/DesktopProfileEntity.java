package io.teamsconnector.store;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

import java.io.Serializable;
import java.time.Instant;

/** A contact-center desktop profile and whether the Teams integration applies to its agents. */
@Entity
@Table(name = "desktop_profiles")
public class DesktopProfileEntity {

    @EmbeddedId
    public Key key;

    @Column(name = "teams_integration")
    public boolean teamsIntegration;

    @Column(name = "updated_at")
    public Instant updatedAt;

    /** Composite key: profiles are per organization. */
    @Embeddable
    public record Key(@Column(name = "org_id") String orgId, @Column(name = "profile_id") String profileId)
            implements Serializable {
    }
}

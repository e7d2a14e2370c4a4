package io.teamsconnector.store;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** Desktop profiles of an organization. */
@ApplicationScoped
@WithSession
public class DesktopProfileRepository implements PanacheRepositoryBase<DesktopProfileEntity, DesktopProfileEntity.Key> {

    /** Whether the profile has the Teams integration on; an unknown profile has it off (the default). */
    public Uni<Boolean> integrationEnabled(String orgId, String profileId) {
        if (profileId == null) {
            return Uni.createFrom().item(false);
        }
        return findById(new DesktopProfileEntity.Key(orgId, profileId))
                .map(profile -> profile != null && profile.teamsIntegration);
    }
}

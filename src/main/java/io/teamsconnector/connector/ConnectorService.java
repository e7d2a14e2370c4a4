package io.teamsconnector.connector;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import io.teamsconnector.domain.DomainException;
import io.teamsconnector.domain.ConnectorStatus;
import io.teamsconnector.store.ConnectorEntity;
import io.teamsconnector.store.ConnectorRepository;
import io.teamsconnector.store.DesktopProfileEntity;
import io.teamsconnector.store.DesktopProfileRepository;
import io.teamsconnector.store.WebexLinkRepository;
import io.teamsconnector.store.WorkSignal;
import io.teamsconnector.store.WorkSignals;
import io.teamsconnector.store.WriteBackRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.OptimisticLockException;
import org.hibernate.StaleStateException;
import org.hibernate.exception.ConstraintViolationException;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.function.Consumer;

/** Connector lifecycle use cases (BEHAVIOR.md, Connector lifecycle). */
@ApplicationScoped
public class ConnectorService {

    /** A concurrent writer lost the optimistic-lock race this many times: answer 409 rather than spin. */
    static final int MAX_ATTEMPTS = 5;

    static final String DELETE_NOTICE = "The connector and everything it stored (settings, state mapping, "
            + "subscriptions, agent links, tokens) are deleted. The admin consent in Microsoft Entra ID still exists: "
            + "to remove it, open the Microsoft Entra admin center, go to Enterprise applications, select the "
            + "Teams Connector application, and choose Properties > Delete.";

    private final ConnectorRepository connectors;
    private final DesktopProfileRepository profiles;
    private final WebexLinkRepository webexLinks;
    private final WorkSignals signals;
    private final WriteBackRepository writeBack;

    public ConnectorService(ConnectorRepository connectors, DesktopProfileRepository profiles,
                            WebexLinkRepository webexLinks, WorkSignals signals, WriteBackRepository writeBack) {
        this.connectors = connectors;
        this.profiles = profiles;
        this.webexLinks = webexLinks;
        this.signals = signals;
        this.writeBack = writeBack;
    }

    /**
     * The view with the connector's Webex link and the permissions write-back found missing (tables of their
     * own, read after the connector).
     */
    private Uni<ConnectorView> withWebex(ConnectorView view) {
        return webexLinks.find(view.orgId()).map(view::withWebex)
                .flatMap(withLink -> writeBack.missingPermissions(view.orgId()).map(withLink::withMissingPermissions));
    }

    /** Result of an idempotent create: the connector and whether this call created it. */
    public record Created(ConnectorView connector, boolean created) {
    }

    /** Creates the connector in {@code PENDING_CONSENT}, or returns the existing one. */
    public Uni<Created> create(String orgId) {
        return Uni.createFrom().deferred(() -> Panache.withTransaction(() -> connectors.findById(orgId)
                        .flatMap(existing -> existing != null
                                ? Uni.createFrom().item(new Created(ConnectorView.of(existing), false))
                                : connectors.persist(newConnector(orgId)).flatMap(connectors::saved)
                                        .map(created -> new Created(ConnectorView.of(created), true)))))
                // two creators at once: the loser finds the winner's row on the next attempt
                .onFailure(ConstraintViolationException.class).retry().atMost(1)
                .flatMap(result -> withWebex(result.connector()).map(view -> new Created(view, result.created())));
    }

    private static ConnectorEntity newConnector(String orgId) {
        ConnectorEntity connector = new ConnectorEntity();
        Instant now = now();
        connector.orgId = orgId;
        connector.presenceSync = true;
        connector.showUserDetails = false;
        connector.stateMapping = new LinkedHashMap<>();
        connector.teamsWriteBack = false;
        connector.writeBackMapping = new LinkedHashMap<>();
        connector.createdAt = now;
        connector.updatedAt = now;
        return connector;
    }

    @WithTransaction
    public Uni<ConnectorView> get(String orgId) {
        return connectors.require(orgId).map(ConnectorView::of).flatMap(this::withWebex);
    }

    /** Every connector, by organization id, with its Webex link (the console's list). */
    public Uni<java.util.List<ConnectorView>> list() {
        return Panache.withSession(() -> connectors.listAll(io.quarkus.panache.common.Sort.by("orgId")))
                .flatMap(all -> all.isEmpty() ? Uni.createFrom().item(java.util.List.<ConnectorView>of())
                        : Uni.join().all(all.stream().map(c -> withWebex(ConnectorView.of(c))).toList())
                                .andFailFast());
    }

    public Uni<ConnectorView> patch(String orgId, ConnectorPatch patch) {
        ConnectorPatch.requireValid(patch);
        return update(orgId, connector -> {
            if (patch.presenceSync() != null) {
                connector.presenceSync = patch.presenceSync();
            }
            if (patch.showUserDetails() != null) {
                connector.showUserDetails = patch.showUserDetails();
            }
            if (patch.stateMapping() != null) {
                connector.stateMapping = new LinkedHashMap<>(patch.stateMapping());
            }
            if (patch.teamsWriteBack() != null) {
                connector.teamsWriteBack = patch.teamsWriteBack();
            }
            if (patch.writeBackMapping() != null) {
                connector.writeBackMapping = new LinkedHashMap<>(patch.writeBackMapping());
            }
        }).invoke(saved -> {
            if (Boolean.FALSE.equals(patch.presenceSync()) || patch.teamsWriteBack() != null
                    || patch.writeBackMapping() != null) {
                switchedOff(orgId);
            }
        });
    }

    /**
     * After the commit: agents presence sync made Idle go back to Available, and Teams presence written for the
     * agents follows the switch (written, rewritten or cleared); the sync side does both.
     */
    private void switchedOff(String orgId) {
        signals.send(WorkSignal.settings(orgId));
    }

    public Uni<ConnectorView> deactivate(String orgId) {
        return transition(orgId, ConnectorStatus.ACTIVE, true, "NOT_ACTIVE", "deactivated")
                .invoke(saved -> switchedOff(orgId));
    }

    public Uni<ConnectorView> reactivate(String orgId) {
        return transition(orgId, ConnectorStatus.INACTIVE, false, "NOT_INACTIVE", "reactivated")
                .invoke(saved -> switchedOff(orgId));
    }

    /** The administrator's switch; the status follows from it and the consent (view {@code connector_states}). */
    private Uni<ConnectorView> transition(String orgId, ConnectorStatus from, boolean deactivated, String refusal,
                                          String verb) {
        return update(orgId, connector -> {
            if (connector.status != from) {
                throw DomainException.conflict(refusal,
                        "Only an " + from + " connector can be " + verb + "; this one is " + connector.status + ".");
            }
            connector.deactivated = deactivated;
        });
    }

    /** Deletes an inactive or never-consented connector; the database cascades to everything it owns. */
    @WithTransaction
    public Uni<String> delete(String orgId) {
        return connectors.require(orgId).flatMap(connector -> {
            if (connector.status == ConnectorStatus.ACTIVE) {
                return Uni.createFrom().failure(DomainException.conflict("STILL_ACTIVE",
                        "An ACTIVE connector cannot be deleted; deactivate it first."));
            }
            return connectors.delete("orgId", orgId).replaceWith(DELETE_NOTICE);
        });
    }

    public Uni<ProfileSetting> setProfile(String orgId, String profileId, boolean teamsIntegration) {
        return Panache.withTransaction(() -> connectors.require(orgId)
                        .flatMap(connector -> profiles.findById(new DesktopProfileEntity.Key(orgId, profileId)))
                        .flatMap(existing -> {
                            DesktopProfileEntity profile = existing;
                            if (profile == null) {
                                profile = new DesktopProfileEntity();
                                profile.key = new DesktopProfileEntity.Key(orgId, profileId);
                            }
                            profile.teamsIntegration = teamsIntegration;
                            profile.updatedAt = now();
                            return profiles.persist(profile);
                        })
                        .map(saved -> new ProfileSetting(profileId, saved.teamsIntegration)))
                .invoke(saved -> {
                    if (Boolean.FALSE.equals(saved.teamsIntegration())) {
                        switchedOff(orgId);
                    }
                });
    }

    /**
     * Loads, changes and saves the connector in one transaction. A concurrent writer makes the version
     * check fail; the whole transaction is then rerun on fresh data, so no write is lost.
     */
    Uni<ConnectorView> update(String orgId, Consumer<ConnectorEntity> change) {
        return Uni.createFrom().deferred(() -> Panache.withTransaction(() -> connectors.require(orgId)
                        .map(connector -> {
                            change.accept(connector);
                            connector.updatedAt = now();
                            return connector;
                        })
                        .flatMap(connectors::saved)
                        .map(ConnectorView::of)))
                .onFailure(ConnectorService::isLostRace).retry().atMost(MAX_ATTEMPTS - 1)
                .onFailure(ConnectorService::isLostRace).transform(e -> DomainException.conflict("CONFLICT",
                        "The connector was changed concurrently too often; retry the request."))
                .flatMap(this::withWebex);
    }

    private static boolean isLostRace(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof OptimisticLockException || t instanceof StaleStateException) {
                return true;
            }
        }
        return false;
    }

    /** Microsecond precision: what PostgreSQL stores, so an answer equals what a later read returns. */
    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }
}

package io.teamsconnector.sync;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.teamsconnector.config.ConnectorConfig;
import io.teamsconnector.store.WorkSignal;
import io.teamsconnector.store.WorkSignals;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.pubsub.PgSubscriber;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

import java.util.Optional;

/**
 * Hears the work signals other functions send through PostgreSQL ({@code LISTEN}) and hands each to
 * {@link WorkSignalReceiver} on a worker. On when {@code connector.work-signals-listen} is true (the sync
 * function); the all-in-one has its receivers in-process and leaves it off. After a reconnect the stored
 * work is looked at once, since signals sent meanwhile were not heard.
 */
@ApplicationScoped
public class WorkListener {

    private static final Logger LOG = Logger.getLogger(WorkListener.class);

    private final Vertx vertx;
    private final Event<WorkSignal> receivers;
    private final SyncWorkers workers;
    private final ConnectorConfig config;
    private final Config settings;
    private PgSubscriber subscriber;

    public WorkListener(Vertx vertx, Event<WorkSignal> receivers, SyncWorkers workers, ConnectorConfig config,
                        Config settings) {
        this.vertx = vertx;
        this.receivers = receivers;
        this.workers = workers;
        this.config = config;
        this.settings = settings;
    }

    void start(@Observes StartupEvent event) {
        if (!config.workSignalsListen()) {
            return;
        }
        PgConnectOptions options = PgConnectOptions.fromUri(
                settings.getValue("quarkus.datasource.reactive.url", String.class).replaceFirst("^vertx-reactive:", ""));
        settings.getOptionalValue("quarkus.datasource.username", String.class).ifPresent(options::setUser);
        settings.getOptionalValue("quarkus.datasource.password", String.class).ifPresent(options::setPassword);
        String channel = WorkSignals.channel(config.dbSchema());
        subscriber = PgSubscriber.subscriber(vertx, options)
                .reconnectPolicy(retries -> 500L);
        subscriber.channel(channel)
                // work stored while nobody listened (before start-up, or across a reconnect) is looked at now
                .subscribeHandler(ignored -> workers.execute("Stored work after (re)connect",
                        () -> receivers.fire(WorkSignal.inbox())))
                .handler(payload -> {
            WorkSignal signal = WorkSignal.parse(payload);
            if (signal != null) {
                workers.execute("Work signal " + signal.kind(), () -> receivers.fire(signal));
            }
        });
        subscriber.connect().onComplete(connected -> {
            if (connected.failed()) {
                LOG.warnf("Not listening for work signals yet (retrying): %s", connected.cause().getMessage());
            } else {
                LOG.infof("Listening for work signals on %s", channel);
            }
        });
    }

    void stop(@Observes ShutdownEvent event) {
        Optional.ofNullable(subscriber).ifPresent(PgSubscriber::close);
    }
}

package io.teamsconnector.sync;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmHeapPressureMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.teamsconnector.config.ConnectorConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The sync function's JVM and system meters (heap, GC, threads, class loading, CPU, uptime, file descriptors),
 * bound {@link #AFTER} start-up instead of during it: the long-running function keeps them for days, and its first
 * answer does not wait for the few hundred classes they load. On when {@code connector.late-jvm-meters} is true;
 * the all-in-one keeps Quarkus' own binders.
 */
@ApplicationScoped
public class LateJvmMeters {

    static final Duration AFTER = Duration.ofSeconds(3);

    private final MeterRegistry registry;
    private final SyncWorkers workers;
    private final ConnectorConfig config;
    private final List<AutoCloseable> bound = new ArrayList<>();

    public LateJvmMeters(MeterRegistry registry, SyncWorkers workers, ConnectorConfig config) {
        this.registry = registry;
        this.workers = workers;
        this.config = config;
    }

    void start(@Observes StartupEvent event) {
        if (config.lateJvmMeters()) {
            workers.schedule("JVM and system meters", AFTER, this::bind);
        }
    }

    synchronized void bind() {
        JvmGcMetrics gc = new JvmGcMetrics();
        JvmHeapPressureMetrics heapPressure = new JvmHeapPressureMetrics();
        bound.add(gc);
        bound.add(heapPressure);
        gc.bindTo(registry);
        heapPressure.bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
    }

    synchronized void stop(@Observes ShutdownEvent event) throws Exception {
        for (AutoCloseable meters : bound) {
            meters.close();
        }
        bound.clear();
    }
}

package io.teamsconnector.web;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.teamsconnector.config.ConnectorConfig;
import jakarta.inject.Singleton;

/**
 * {@code connector_function_info{function="..."} 1}: which deployable answers a scrape. It is there from the
 * first scrape on, also in a function that keeps only its own meters, which appear as their events happen.
 */
@Singleton
public class FunctionInfoMeter implements MeterBinder {

    private final String function;

    public FunctionInfoMeter(ConnectorConfig config) {
        this.function = config.function();
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("connector.function.info", () -> 1)
                .description("The deployable serving these metrics: a function's name, or all-in-one")
                .tag("function", function)
                .register(registry);
    }
}

package io.teamsconnector.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Timings in nanoseconds, and what the benchmark tables show of them. */
final class Samples {

    private Samples() {
    }

    static double ms(long nanos) {
        return nanos / 1_000_000.0;
    }

    /** The nearest-rank percentile {@code p} (0..1). */
    static long percentile(List<Long> samples, double p) {
        List<Long> sorted = new ArrayList<>(samples);
        Collections.sort(sorted);
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1));
    }
}

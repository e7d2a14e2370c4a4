package io.teamsconnector.experts;

import io.teamsconnector.store.DirectoryRepository.Hit;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The order of lookup results: display-name prefix matches first, then the rest, each by display name. */
final class ExpertRanking {

    private static final Comparator<Hit> ORDER = Comparator.comparingInt(Hit::rank)
            .thenComparing(Hit::sortKey, Comparator.nullsLast(Comparator.naturalOrder()))
            .thenComparing(Hit::userId);

    private ExpertRanking() {
    }

    /** One hit per expert (its best rank), in order, at most {@code limit}. */
    static List<Hit> rank(List<Hit> hits, int limit) {
        Map<String, Hit> best = new LinkedHashMap<>();
        for (Hit hit : hits) {
            best.merge(hit.userId(), hit, (a, b) -> a.rank() <= b.rank() ? a : b);
        }
        List<Hit> ranked = new ArrayList<>(best.values());
        ranked.sort(ORDER);
        return ranked.size() > limit ? ranked.subList(0, limit) : ranked;
    }
}

package io.teamsconnector.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * CPU time of this JVM's threads by kind (Linux {@code /proc/self/task}): every native thread, the JIT's and the
 * collector's too, which {@code ThreadMXBean} does not show. Kinds are thread names without their numbers.
 */
final class ThreadCpu {

    private ThreadCpu() {
    }

    /** Clock ticks (USER_HZ) used so far, by thread kind; threads that ended since are not counted. */
    static Map<String, Long> now() {
        Map<String, Long> out = new HashMap<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            tasks.forEach(task -> {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    // "tid (comm) state ..." where comm may hold spaces and parentheses
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime
                    out.merge(name.replaceAll("[0-9]+", "N"), ticks, Long::sum);
                } catch (IOException | RuntimeException e) {
                    // the thread ended while being read
                }
            });
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    /** Clock ticks used by thread kind from {@code before} until now (threads that ended meanwhile are lost). */
    static Map<String, Long> since(Map<String, Long> before) {
        Map<String, Long> used = new HashMap<>();
        now().forEach((kind, ticks) -> used.put(kind, ticks - before.getOrDefault(kind, 0L)));
        return used;
    }

    /** Adds {@code more} ticks by kind to {@code total}. */
    static void add(Map<String, Long> total, Map<String, Long> more) {
        more.forEach((kind, ticks) -> total.merge(kind, ticks, Long::sum));
    }

    /** "kind a.b ms, ..." per {@code per} units of work, largest first. */
    static String format(Map<String, Long> ticksByKind, int per) {
        return ticksByKind.entrySet().stream()
                .filter(e -> e.getValue() > 0)
                .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()))
                .map(e -> String.format("%s %.2f ms", e.getKey(), e.getValue() * 10.0 / per))
                .collect(Collectors.joining(", "));
    }
}

package io.teamsconnector.store;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.ToIntFunction;

/**
 * Writes that arrive while earlier ones are being committed are gathered and committed together: one
 * transaction, one statement and one WAL flush for the lot, instead of one each. Nothing waits for a timer:
 * at most {@code maxInFlight} transactions run at once, and whatever arrived meanwhile goes in the next one,
 * so a lone write is committed at once and a busy intake commits in ever larger groups.
 * <p>
 * Each write is answered only when the transaction that holds it has committed, with its own result; a failed
 * transaction fails every write it held. A write whose deadline passed while it waited is failed alone,
 * without a transaction, so that one late write cannot take a group's statement timeout down with it.
 *
 * @param <W> one caller's write
 */
public final class GroupCommit<W> {

    /** Commits the writes in one transaction and answers one result per write, in order. */
    @FunctionalInterface
    public interface GroupWriter<W> {
        Uni<List<Integer>> commit(List<W> writes);
    }

    private final GroupWriter<W> writer;
    private final Function<W, Instant> deadline;
    private final ToIntFunction<W> weight;
    private final int maxInFlight;
    private final int maxWeight;
    private final Clock clock;
    private final ArrayDeque<Waiting<W>> waiting = new ArrayDeque<>();
    private int inFlight;

    /**
     * @param weight     a write's size (its rows): a group holds at most {@code maxWeight}, and at least one write
     * @param maxInFlight transactions at once (connections taken from the pool)
     */
    public GroupCommit(GroupWriter<W> writer, Function<W, Instant> deadline, ToIntFunction<W> weight,
                       int maxInFlight, int maxWeight, Clock clock) {
        this.writer = writer;
        this.deadline = deadline;
        this.weight = weight;
        this.maxInFlight = maxInFlight;
        this.maxWeight = maxWeight;
        this.clock = clock;
    }

    /** The write's result once committed; a failure when its transaction failed or its deadline passed first. */
    public Uni<Integer> submit(W write) {
        return Uni.createFrom().emitter(emitter -> {
            List<Waiting<W>> group;
            synchronized (this) {
                waiting.add(new Waiting<>(write, emitter));
                if (inFlight >= maxInFlight) {
                    return;
                }
                inFlight++;
                group = nextGroup();
            }
            run(group);
        });
    }

    /** Writes waiting for a transaction (for tests and metrics). */
    public synchronized int waiting() {
        return waiting.size();
    }

    private void run(List<Waiting<W>> group) {
        List<W> writes = new ArrayList<>(group.size());
        group.forEach(w -> writes.add(w.write()));
        Uni<List<Integer>> committed;
        try {
            committed = writer.commit(writes);
        } catch (RuntimeException e) {
            committed = Uni.createFrom().failure(e);
        }
        committed.subscribe().with(results -> {
            for (int i = 0; i < group.size(); i++) {
                group.get(i).emitter().complete(results.get(i));
            }
            runNext();
        }, failure -> {
            group.forEach(w -> w.emitter().fail(failure));
            runNext();
        });
    }

    private void runNext() {
        List<Waiting<W>> group;
        synchronized (this) {
            group = nextGroup();
            if (group.isEmpty()) {
                inFlight--;
                return;
            }
        }
        run(group);
    }

    /** Takes the next group off the queue (under the lock); writes already late are failed, not taken. */
    private List<Waiting<W>> nextGroup() {
        List<Waiting<W>> group = new ArrayList<>();
        Instant now = clock.instant();
        int total = 0;
        while (!waiting.isEmpty()) {
            Waiting<W> next = waiting.peek();
            if (!deadline.apply(next.write()).isAfter(now)) {
                waiting.poll();
                next.emitter().fail(new DeadlinePassedException());
                continue;
            }
            int size = weight.applyAsInt(next.write());
            if (!group.isEmpty() && total + size > maxWeight) {
                break;
            }
            waiting.poll();
            group.add(next);
            total += size;
        }
        return group;
    }

    private record Waiting<W>(W write, UniEmitter<? super Integer> emitter) {
    }

    /** The write waited past its deadline for a transaction, and was not written. */
    public static final class DeadlinePassedException extends RuntimeException {
        DeadlinePassedException() {
            super("the write's deadline passed before its group was committed; nothing was written");
        }
    }
}

package io.teamsconnector.store;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.smallrye.mutiny.helpers.test.UniAssertSubscriber;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/** Gathered commits: what each caller is told, and which writes share a transaction. */
class GroupCommitTest {

    private static final Instant NOW = Instant.parse("2026-12-02T06:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    /** A write: its rows and deadline. */
    record Write(String name, int rows, Instant deadline) {
    }

    /** The transactions asked for, each left open until the test commits or fails it. */
    static final class Transactions {
        final List<List<Write>> groups = new ArrayList<>();
        final List<UniEmitter<? super List<Integer>>> open = new ArrayList<>();

        Uni<List<Integer>> commit(List<Write> writes) {
            groups.add(List.copyOf(writes));
            return Uni.createFrom().emitter(open::add);
        }

        void commitNext() {
            List<Write> group = groups.get(groups.size() - open.size());
            open.remove(0).complete(group.stream().map(Write::rows).toList());
        }
    }

    private final Transactions transactions = new Transactions();

    private GroupCommit<Write> groupCommit(int inFlight, int maxRows) {
        return new GroupCommit<>(transactions::commit, Write::deadline, Write::rows, inFlight, maxRows, CLOCK);
    }

    private static Write write(String name, int rows) {
        return new Write(name, rows, NOW.plusSeconds(2));
    }

    private static UniAssertSubscriber<Integer> submit(GroupCommit<Write> commits, Write write) {
        return commits.submit(write).subscribe().withSubscriber(UniAssertSubscriber.create());
    }

    @Test
    void writesThatArriveDuringACommitShareTheNextOneAndEachIsAnsweredOnlyOnceItsOwnIsCommitted() {
        GroupCommit<Write> commits = groupCommit(1, 1_000);
        UniAssertSubscriber<Integer> first = submit(commits, write("a", 10));
        UniAssertSubscriber<Integer> second = submit(commits, write("b", 7));
        UniAssertSubscriber<Integer> third = submit(commits, write("c", 3));

        assertEquals(List.of(List.of(write("a", 10))), transactions.groups, "a lone write is committed at once");
        second.assertNotTerminated();
        transactions.commitNext();
        first.assertItem(10);
        assertEquals(List.of(write("b", 7), write("c", 3)), transactions.groups.get(1),
                "what waited goes in one transaction");
        second.assertNotTerminated();
        third.assertNotTerminated();
        transactions.commitNext();
        second.assertItem(7);
        third.assertItem(3);
        assertEquals(0, commits.waiting());
    }

    @Test
    void aFailedTransactionFailsEveryWriteItHeldAndTheNextGroupStillRuns() {
        GroupCommit<Write> commits = groupCommit(1, 1_000);
        UniAssertSubscriber<Integer> first = submit(commits, write("a", 1));
        UniAssertSubscriber<Integer> second = submit(commits, write("b", 1));
        UniAssertSubscriber<Integer> third = submit(commits, write("c", 1));
        transactions.commitNext();
        transactions.open.remove(0).fail(new IllegalStateException("statement timeout"));

        first.assertItem(1);
        second.assertFailedWith(IllegalStateException.class, "statement timeout");
        third.assertFailedWith(IllegalStateException.class, "statement timeout");
        UniAssertSubscriber<Integer> fourth = submit(commits, write("d", 4));
        transactions.commitNext();
        fourth.assertItem(4);
    }

    @Test
    void aGroupStopsAtItsRowLimitButAlwaysTakesOneWrite() {
        GroupCommit<Write> commits = groupCommit(1, 10);
        submit(commits, write("a", 1));
        submit(commits, write("big", 25));
        submit(commits, write("b", 6));
        submit(commits, write("c", 5));
        transactions.commitNext();
        transactions.commitNext();
        transactions.commitNext();

        assertEquals(List.of(List.of(write("a", 1)), List.of(write("big", 25)), List.of(write("b", 6)),
                List.of(write("c", 5))), transactions.groups);
    }

    @Test
    void twoTransactionsRunAtOnceAndAThirdWaits() {
        GroupCommit<Write> commits = groupCommit(2, 1_000);
        submit(commits, write("a", 1));
        submit(commits, write("b", 1));
        UniAssertSubscriber<Integer> third = submit(commits, write("c", 1));

        assertEquals(2, transactions.groups.size());
        assertEquals(1, commits.waiting());
        transactions.commitNext();
        assertEquals(List.of(write("c", 1)), transactions.groups.get(2));
        third.assertNotTerminated();
    }

    @Test
    void aWriteLatePastItsDeadlineIsFailedAloneAndNeverWritten() {
        GroupCommit<Write> commits = groupCommit(1, 1_000);
        submit(commits, write("a", 1));
        UniAssertSubscriber<Integer> late = submit(commits, new Write("late", 1, NOW));
        UniAssertSubscriber<Integer> onTime = submit(commits, write("b", 2));
        transactions.commitNext();

        Throwable failure = late.awaitFailure().getFailure();
        assertInstanceOf(GroupCommit.DeadlinePassedException.class, failure);
        assertEquals(List.of(write("b", 2)), transactions.groups.get(1));
        transactions.commitNext();
        onTime.assertItem(2);
    }
}

package io.teamsconnector.contactcenter;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RetryScheduleTest {

    final RetrySchedule schedule = new RetrySchedule(Duration.ofSeconds(1), Duration.ofMinutes(5), 12);

    @Test
    void delaysDoubleWithHalfOfEachRandom() {
        assertEquals(Duration.ofMillis(500), schedule.delayAfter(1, 0.0));
        assertEquals(Duration.ofMillis(999), schedule.delayAfter(1, 0.999));
        assertEquals(Duration.ofMillis(1000), schedule.delayAfter(2, 0.0));
        assertEquals(Duration.ofMillis(4000), schedule.delayAfter(4, 0.0));
        assertEquals(Duration.ofMillis(6000), schedule.delayAfter(4, 0.5));
    }

    @Test
    void delaysStopGrowingAtTheMaximum() {
        assertEquals(Duration.ofMinutes(5).dividedBy(2), schedule.delayAfter(20, 0.0));
        assertEquals(Duration.ofMinutes(5).dividedBy(2), schedule.delayAfter(1000, 0.0));
        assertTrue(schedule.delayAfter(40, 0.999).compareTo(Duration.ofMinutes(5)) < 0);
    }

    @Test
    void theLastAttemptIsTheMaximumth() {
        assertFalse(schedule.exhausted(11));
        assertTrue(schedule.exhausted(12));
    }
}

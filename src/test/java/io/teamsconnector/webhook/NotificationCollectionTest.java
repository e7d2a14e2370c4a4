package io.teamsconnector.webhook;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Which resources name a user's presence: the forms Graph sends, and near misses that must not pass. */
class NotificationCollectionTest {

    private static final String USER = "2b3c8a1e-4f5d-4e6f-9a7b-1c2d3e4f5a6b";

    @Test
    void bothFormsOfAPresenceResourceNameTheUser() {
        assertEquals(USER, NotificationCollection.userOfResource("communications/presences/" + USER));
        assertEquals(USER, NotificationCollection.userOfResource("/communications/presences/" + USER));
        assertEquals(USER, NotificationCollection.userOfResource("communications/presences('" + USER + "')"));
        assertEquals(USER, NotificationCollection.userOfResource("/communications/presences('" + USER + "')"));
        String upper = USER.toUpperCase();
        assertEquals(upper, NotificationCollection.userOfResource("communications/presences/" + upper));
    }

    @Test
    void anythingElseNamesNoUser() {
        String[] others = {
            null, "", "communications/presences", "communications/presences/",
            "communications/presences/" + USER + "/extra", "communications/presences/" + USER + "x",
            "communications/presences('" + USER + "'", "communications/presences(" + USER + ")",
            "//communications/presences/" + USER, "users/" + USER + "/presence",
            "communications/presences/" + USER.replace('-', 'x'),
            "communications/presences/" + USER.replace('a', 'g'),
            // a full-width digit is a digit to Java, not to Graph
            "communications/presences/" + USER.replace('1', '\uFF11'),
            "communications/presences/" + USER.substring(1) + "0",
        };
        for (String resource : others) {
            assertNull(NotificationCollection.userOfResource(resource), () -> "named a user: " + resource);
        }
    }
}

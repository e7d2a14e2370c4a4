package io.teamsconnector.security;

import org.junit.jupiter.api.Test;

import java.util.Base64;
import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClientStatesTest {

    @Test
    void everyClientStateIsNewAnd43UrlSafeCharactersOf32RandomBytes() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String state = ClientStates.random();
            assertTrue(state.matches("[A-Za-z0-9_-]{43}"), state);
            assertEquals(32, Base64.getUrlDecoder().decode(state).length);
            assertTrue(seen.add(state), "repeated: " + state);
        }
    }

    @Test
    void aClientStateMatchesItsHashOnly() {
        String state = ClientStates.random();
        String hash = ClientStates.hash(state);
        assertTrue(hash.matches("[0-9a-f]{64}"), hash);
        assertTrue(ClientStates.matches(state, hash));
        assertFalse(ClientStates.matches(ClientStates.random(), hash));
        assertFalse(ClientStates.matches(state, null));
        assertFalse(ClientStates.matches(null, hash));
    }
}

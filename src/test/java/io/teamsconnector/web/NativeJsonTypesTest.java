package io.teamsconnector.web;

import org.junit.jupiter.api.Test;

import java.util.List;

import static io.teamsconnector.support.NativeReflection.unregistered;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Types written by Json.encode outside any endpoint: a native image keeps their reflection data only when told. */
class NativeJsonTypesTest {

    /** FunctionErrorHandler and webhook's ValidationHandshake write this error body with Json.encode. */
    static final Class<?>[] BOUND = {ErrorBodies.ErrorBody.class};

    @Test
    void everyBoundTypeIsRegistered() {
        assertEquals(List.of(), unregistered(BOUND));
    }
}

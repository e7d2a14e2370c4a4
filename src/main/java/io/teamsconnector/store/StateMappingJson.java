package io.teamsconnector.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The state mapping as stored: a JSON object in a text column, keys sorted so equal maps store equal text.
 * Plain Java, for the SQL-client repositories and for the entity's converter alike.
 */
public final class StateMappingJson {

    private static final ObjectMapper JSON = new ObjectMapper();
    // a type built from classes, not an anonymous TypeReference whose generic signature a native image may not keep
    private static final JavaType TYPE = JSON.getTypeFactory().constructMapType(LinkedHashMap.class, String.class,
            String.class);

    private StateMappingJson() {
    }

    public static String toText(Map<String, String> mapping) {
        try {
            return JSON.writeValueAsString(mapping == null ? Map.of() : new TreeMap<>(mapping));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("state mapping not serializable", e);
        }
    }

    public static Map<String, String> fromText(String text) {
        if (text == null || text.isBlank()) {
            return new LinkedHashMap<>();
        }
        try {
            return JSON.readValue(text, TYPE);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored state mapping is not JSON", e);
        }
    }
}

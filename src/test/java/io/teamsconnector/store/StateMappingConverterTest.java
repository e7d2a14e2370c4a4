package io.teamsconnector.store;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

class StateMappingConverterTest {

    final StateMappingConverter converter = new StateMappingConverter();

    @Test
    void storesKeysSortedAndReadsThemBackInThatOrder() {
        Map<String, String> mapping = new LinkedHashMap<>();
        mapping.put("Busy", "12");
        mapping.put("Away", "7");
        String text = converter.convertToDatabaseColumn(mapping);
        assertEquals("{\"Away\":\"7\",\"Busy\":\"12\"}", text);
        Map<String, String> read = converter.convertToEntityAttribute(text);
        assertInstanceOf(LinkedHashMap.class, read);
        assertEquals(List.of("Away", "Busy"), List.copyOf(read.keySet()));
        assertEquals(mapping, read);
    }

    @Test
    void nothingStoredIsAnEmptyMapping() {
        assertEquals("{}", converter.convertToDatabaseColumn(null));
        assertEquals(Map.of(), converter.convertToEntityAttribute(null));
        assertEquals(Map.of(), converter.convertToEntityAttribute(" "));
    }

    @Test
    void storedTextThatIsNotAMappingIsRefused() {
        assertThrows(IllegalStateException.class, () -> converter.convertToEntityAttribute("[1,2]"));
        assertThrows(IllegalStateException.class, () -> converter.convertToEntityAttribute("{\"Away\":"));
    }
}

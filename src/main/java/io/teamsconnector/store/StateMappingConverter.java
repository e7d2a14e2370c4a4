package io.teamsconnector.store;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

import java.util.Map;

/** The entity's view of {@link StateMappingJson}. */
@Converter
public class StateMappingConverter implements AttributeConverter<Map<String, String>, String> {

    @Override
    public String convertToDatabaseColumn(Map<String, String> mapping) {
        return StateMappingJson.toText(mapping);
    }

    @Override
    public Map<String, String> convertToEntityAttribute(String text) {
        return StateMappingJson.fromText(text);
    }
}

package io.teamsconnector.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.teamsconnector.domain.DomainException;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A change-notification or lifecycle collection as Graph posts it ({@code {"value":[...],
 * "validationTokens":[...]}}), parsed strictly: a body that is not such an object is a 400; an item
 * that is not a well-formed presence notification is kept as malformed, to be dropped and counted.
 */
public record NotificationCollection(List<Item> items, List<String> validationTokens) {

    /** Longest clientState Graph accepts; anything longer cannot be ours. */
    static final int MAX_CLIENT_STATE = 128;
    private static final String PRESENCES = "communications/presences";

    /**
     * One item. {@code teamsUserId} (lower case) is set for change notifications, {@code lifecycleEvent}
     * for lifecycle notifications; {@code encrypted} only for rich notifications; {@code problem} says
     * why a malformed item is unusable.
     */
    public record Item(String subscriptionId, String clientState, String tenantId, String teamsUserId,
                       String lifecycleEvent, RichContent.EncryptedContent encrypted, String problem) {
        public boolean malformed() {
            return problem != null;
        }
    }

    public static NotificationCollection parse(ObjectMapper json, byte[] body, boolean lifecycle) {
        JsonNode root;
        try {
            root = json.readTree(body);
        } catch (JsonProcessingException e) {
            throw DomainException.invalid("The body is not JSON.");
        } catch (java.io.IOException e) {
            throw DomainException.invalid("The body could not be read.");
        }
        if (root == null || !root.isObject() || !root.path("value").isArray()) {
            throw DomainException.invalid("The body must be a notification collection: {\"value\": [...]}.");
        }
        List<Item> items = new ArrayList<>();
        for (JsonNode node : root.get("value")) {
            items.add(lifecycle ? lifecycleItem(node) : changeItem(node));
        }
        List<String> tokens = new ArrayList<>();
        JsonNode tokenNode = root.get("validationTokens");
        if (tokenNode != null && !tokenNode.isNull()) {
            if (!tokenNode.isArray()) {
                throw DomainException.invalid("validationTokens must be an array of strings.");
            }
            for (JsonNode token : tokenNode) {
                if (!token.isTextual()) {
                    throw DomainException.invalid("validationTokens must be an array of strings.");
                }
                tokens.add(token.asText());
            }
        }
        return new NotificationCollection(List.copyOf(items), List.copyOf(tokens));
    }

    private static Item changeItem(JsonNode node) {
        String subscriptionId = text(node, "subscriptionId");
        String clientState = text(node, "clientState");
        String tenantId = text(node, "tenantId");
        if (!node.isObject() || subscriptionId == null || tenantId == null) {
            return malformed(subscriptionId, clientState, tenantId, "subscriptionId and tenantId are required");
        }
        if (!"updated".equals(text(node, "changeType"))) {
            return malformed(subscriptionId, clientState, tenantId, "changeType must be updated");
        }
        String fromResource = userOfResource(text(node, "resource"));
        String fromData = text(node.path("resourceData"), "id");
        if (fromResource == null || (fromData != null && !fromData.equalsIgnoreCase(fromResource))) {
            return malformed(subscriptionId, clientState, tenantId, "resource must be a user's presence");
        }
        RichContent.EncryptedContent encrypted = null;
        JsonNode content = node.get("encryptedContent");
        if (content != null && !content.isNull()) {
            encrypted = new RichContent.EncryptedContent(text(content, "data"), text(content, "dataSignature"),
                    text(content, "dataKey"), text(content, "encryptionCertificateId"));
            if (encrypted.data() == null || encrypted.dataSignature() == null || encrypted.dataKey() == null
                    || encrypted.encryptionCertificateId() == null) {
                return malformed(subscriptionId, clientState, tenantId, "encryptedContent is incomplete");
            }
        }
        return new Item(subscriptionId, clientState, tenantId, fromResource.toLowerCase(Locale.ROOT), null,
                encrypted, null);
    }

    private static Item lifecycleItem(JsonNode node) {
        String subscriptionId = text(node, "subscriptionId");
        String clientState = text(node, "clientState");
        String tenantId = text(node, "tenantId");
        String event = text(node, "lifecycleEvent");
        if (!node.isObject() || subscriptionId == null || tenantId == null || event == null) {
            return malformed(subscriptionId, clientState, tenantId,
                    "subscriptionId, tenantId and lifecycleEvent are required");
        }
        return new Item(subscriptionId, clientState, tenantId, null, event, null, null);
    }

    /**
     * The user id of {@code communications/presences/{id}} (or {@code ('{id}')}, with or without a leading
     * slash), else null. Read by hand, not by a regular expression: it runs for every item of every batch.
     */
    static String userOfResource(String resource) {
        if (resource == null) {
            return null;
        }
        int start = resource.startsWith("/") ? 1 : 0;
        if (!resource.startsWith(PRESENCES, start)) {
            return null;
        }
        int at = start + PRESENCES.length();
        int idLength = 36;
        String id;
        if (resource.length() == at + 1 + idLength && resource.charAt(at) == '/') {
            id = resource.substring(at + 1);
        } else if (resource.length() == at + 4 + idLength && resource.startsWith("('", at)
                && resource.startsWith("')", at + 2 + idLength)) {
            id = resource.substring(at + 2, at + 2 + idLength);
        } else {
            return null;
        }
        return isUserId(id) ? id : null;
    }

    /** 8-4-4-4-12 hexadecimal digits. */
    private static boolean isUserId(String id) {
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            boolean dash = i == 8 || i == 13 || i == 18 || i == 23;
            boolean hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
            if (dash ? c != '-' : !hex) {
                return false;
            }
        }
        return true;
    }

    private static Item malformed(String subscriptionId, String clientState, String tenantId, String problem) {
        return new Item(subscriptionId, clientState, tenantId, null, null, null, problem);
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value != null && value.isTextual() && !value.asText().isBlank() ? value.asText() : null;
    }
}

package io.teamsconnector.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.teamsconnector.domain.DomainException;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A change-notification or lifecycle collection as Graph posts it ({@code {"value":[...],
 * "validationTokens":[...]}}), parsed strictly: a body that is not such an object is a 400; an item
 * that is not a well-formed presence notification is kept as malformed, to be dropped and counted.
 */
public record NotificationCollection(List<Item> items, List<String> validationTokens) {

    /** Longest clientState Graph accepts; anything longer cannot be ours. */
    static final int MAX_CLIENT_STATE = 128;
    private static final Pattern PRESENCE_RESOURCE = Pattern.compile(
            "/?communications/presences(?:\\('([0-9A-Fa-f-]{36})'\\)|/([0-9A-Fa-f-]{36}))");
    private static final Pattern USER_ID = Pattern.compile("[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}");

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

    /** The user id of {@code communications/presences/{id}} (or {@code ('{id}')}), else null. */
    static String userOfResource(String resource) {
        if (resource == null) {
            return null;
        }
        Matcher m = PRESENCE_RESOURCE.matcher(resource);
        if (!m.matches()) {
            return null;
        }
        String id = m.group(1) != null ? m.group(1) : m.group(2);
        return USER_ID.matcher(id).matches() ? id : null;
    }

    private static Item malformed(String subscriptionId, String clientState, String tenantId, String problem) {
        return new Item(subscriptionId, clientState, tenantId, null, null, null, problem);
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value != null && value.isTextual() && !value.asText().isBlank() ? value.asText() : null;
    }
}

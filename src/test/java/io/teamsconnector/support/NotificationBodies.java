package io.teamsconnector.support;

import java.util.List;

/** Change-notification collections in the shape Graph posts (fixture {@code notification-basic-presence.json}). */
public final class NotificationBodies {

    private NotificationBodies() {
    }

    /** One basic presence notification item. */
    public static String item(String subscriptionId, String clientState, String tenantId, String userId) {
        return "{\"subscriptionId\":\"" + subscriptionId + "\",\"subscriptionExpirationDateTime\":\"2026-11-23T19:00:00+00:00\","
                + "\"changeType\":\"updated\",\"resource\":\"communications/presences/" + userId + "\","
                + "\"clientState\":\"" + clientState + "\",\"tenantId\":\"" + tenantId + "\","
                + "\"resourceData\":{\"@odata.type\":\"#Microsoft.Graph.presence\","
                + "\"@odata.id\":\"communications/presences/" + userId + "\",\"id\":\"" + userId + "\"}}";
    }

    public static String collection(List<String> items) {
        return "{\"value\":[" + String.join(",", items) + "]}";
    }

    public static String collection(String... items) {
        return collection(List.of(items));
    }

    /** One lifecycle notification item. */
    public static String lifecycleItem(String subscriptionId, String clientState, String tenantId, String event) {
        return "{\"subscriptionId\":\"" + subscriptionId + "\",\"subscriptionExpirationDateTime\":\"2026-11-23T19:00:00+00:00\","
                + "\"tenantId\":\"" + tenantId + "\",\"clientState\":\"" + clientState + "\",\"lifecycleEvent\":\"" + event + "\"}";
    }
}

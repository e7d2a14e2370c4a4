package io.teamsconnector.domain;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Webex's platform ids ({@code /v1/people/me}) are {@code base64("ciscospark://<region>/<TYPE>/<uuid>")};
 * Contact Center names the same org and person by the bare uuid (the org id, the agent's CI user id).
 */
public final class WebexIds {

    private WebexIds() {
    }

    /** The bare org id of a platform org id; an id that is not in the platform form is answered as it is. */
    public static String orgId(String platformId) {
        return bare(platformId, "ORGANIZATION");
    }

    /** The CI user id (Contact Center's agent id) of a platform person id; otherwise the id as it is. */
    public static String personId(String platformId) {
        return bare(platformId, "PEOPLE");
    }

    private static String bare(String id, String type) {
        if (id == null) {
            return null;
        }
        try {
            String decoded = new String(Base64.getUrlDecoder().decode(id.replace('+', '-').replace('/', '_')
                    .replace("=", "")), StandardCharsets.UTF_8);
            String marker = "/" + type + "/";
            int at = decoded.lastIndexOf(marker);
            if (decoded.startsWith("ciscospark://") && at > 0 && at + marker.length() < decoded.length()) {
                return decoded.substring(at + marker.length());
            }
        } catch (IllegalArgumentException e) {
            // not base64: already a bare id
        }
        return id;
    }
}

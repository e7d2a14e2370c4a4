package io.teamsconnector.contactcenter.webex;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.teamsconnector.config.ConnectorConfig;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Optional;

/**
 * An org's idle codes and desktop profiles as Webex lists them, reused for a short time
 * ({@code connector.webex-catalog-ttl}): a settings page and a burst of state changes read Webex once.
 */
@ApplicationScoped
public class WebexCatalog {

    private final WebexClient webex;
    private final Cache<String, List<WebexClient.IdleCode>> idleCodes;
    private final Cache<String, List<WebexClient.Profile>> profiles;

    public WebexCatalog(WebexClient webex, ConnectorConfig config) {
        this.webex = webex;
        this.idleCodes = Caffeine.newBuilder().expireAfterWrite(config.webexCatalogTtl()).maximumSize(10_000).build();
        this.profiles = Caffeine.newBuilder().expireAfterWrite(config.webexCatalogTtl()).maximumSize(10_000).build();
    }

    public List<WebexClient.IdleCode> idleCodes(String orgId) {
        return idleCodes.get(orgId, webex::idleCodes);
    }

    public List<WebexClient.Profile> profiles(String orgId) {
        return profiles.get(orgId, webex::profiles);
    }

    /** The org's default idle code, which Webex wants with {@code Available}. */
    public Optional<WebexClient.IdleCode> defaultIdleCode(String orgId) {
        return idleCodes(orgId).stream().filter(WebexClient.IdleCode::isDefault).findFirst();
    }

    /** Forgets what was read for the org (linked again, or unlinked). */
    public void forget(String orgId) {
        idleCodes.invalidate(orgId);
        profiles.invalidate(orgId);
    }
}

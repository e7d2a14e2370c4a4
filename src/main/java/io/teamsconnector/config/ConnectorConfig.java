package io.teamsconnector.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Everything the connector reads from its environment. Each entry is also an environment
 * variable: {@code connector.api-keys} is {@code CONNECTOR_API_KEYS}.
 */
@ConfigMapping(prefix = "connector")
public interface ConnectorConfig {

    /** Public base URL of this service; redirect and notification URLs are built from it. */
    @WithDefault("http://localhost:8080")
    String publicUrl();

    /** {@link #publicUrl()} without a trailing slash, ready for a path. */
    default String publicBase() {
        String url = publicUrl();
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /** Application (client) id of the multi-tenant Entra app registration. */
    Optional<String> clientId();

    /** Client secret of that app registration. Never logged. */
    Optional<String> clientSecret();

    /** Entra login authority base. */
    @WithDefault("https://login.microsoftonline.com")
    String loginUrl();

    /** Microsoft Graph base URL. */
    @WithDefault("https://graph.microsoft.com/v1.0")
    String graphUrl();

    /** API keys accepted on admin and function routes; none configured means every protected call is 401. */
    Optional<List<String>> apiKeys();

    /** Reconciliation poll interval: each active connector's signed-in agents are read this often. */
    @WithDefault("10s")
    Duration pollInterval();

    /**
     * Whether this process runs polling, delivery retries and clean-up itself, on a one-second schedule.
     * Off, only {@code POST /sync-tick} does them (a cron-driven deployment, and most tests).
     */
    @WithDefault("true")
    boolean inProcessSchedule();

    /**
     * Listen for work signals other functions send through PostgreSQL (stored notifications, sign-ins).
     * On in the sync function; the all-in-one has its receivers in-process.
     */
    @WithDefault("false")
    boolean workSignalsListen();

    /**
     * Bind the JVM and system meters a few seconds after start-up rather than during it. On in the sync function,
     * whose first answer does not need them (its Quarkus JVM and system binders are off); the all-in-one keeps
     * Quarkus' binders.
     */
    @WithDefault("false")
    boolean lateJvmMeters();

    /** Which deployable this is: a function's name (set by its build), or {@code all-in-one}. */
    @WithDefault("all-in-one")
    String function();

    /** Timeout of one outbound contact-center request. */
    @WithDefault("10s")
    Duration contactCenterTimeout();

    /** Delivery attempts of one state change before it is kept as failed. */
    @WithDefault("12")
    int outboxMaxAttempts();

    /** Delay before the first redelivery; doubled on each further attempt, with jitter. */
    @WithDefault("1s")
    Duration outboxRetryBackoff();

    /** Longest delay between two delivery attempts. */
    @WithDefault("5m")
    Duration outboxMaxBackoff();

    /** How long decisions are kept. */
    @WithDefault("30d")
    Duration decisionRetention();

    /**
     * Id of the certificate Graph encrypts rich notifications with. With {@link #encryptionCertificate()}
     * and {@link #encryptionPrivateKey()} set, subscriptions ask for resource data (no follow-up read).
     */
    Optional<String> encryptionKeyId();

    /** That X.509 certificate, PEM or base64 DER; Graph gets it with each new subscription. */
    Optional<String> encryptionCertificate();

    /** Its RSA private key, PKCS#8 PEM. Never logged. */
    Optional<String> encryptionPrivateKey();

    /** During a key rotation: the id of the previous certificate, whose notifications are still decrypted. */
    Optional<String> previousEncryptionKeyId();

    /** The previous certificate's private key, PKCS#8 PEM. Never logged. */
    Optional<String> previousEncryptionPrivateKey();

    /** Entra's token signing keys (JWKS), for the validation tokens of rich notifications; defaults under {@link #loginUrl()}. */
    Optional<String> signingKeysUrl();

    /** Longest time a notification batch may take to be stored before Graph is answered 503 (Graph allows 3 s). */
    @WithDefault("2s")
    Duration notificationStoreTimeout();

    /**
     * How long the webhook intake trusts what it read of an active subscription (its connector, tenant and
     * clientState hash) before reading it again; 0 reads it for every batch.
     */
    @WithDefault("10s")
    Duration notificationTargetTtl();

    /** How often each connector's subscriptions are checked for renewal and coverage. */
    @WithDefault("1m")
    Duration subscriptionCheckInterval();

    /** After a sign-in, subscriptions are brought up to date this much later, so a burst of sign-ins is one update. */
    @WithDefault("2s")
    Duration subscriptionSettle();

    /** How often each connector's directory mirror is brought up to date from Graph's users delta. */
    @WithDefault("5m")
    Duration directorySyncInterval();

    /** How often the mirror is rebuilt by a full sync (a delta round may miss a property cleared in Entra). */
    @WithDefault("24h")
    Duration directoryFullSyncInterval();

    /** Longest wait for Graph's presence of a lookup's results; then they are answered without it. */
    @WithDefault("800ms")
    Duration expertPresenceTimeout();

    /** How long a presence read for a lookup is shown to later lookups. */
    @WithDefault("5s")
    Duration expertPresenceTtl();

    /** Outbound contact-center adapter. */
    @WithDefault("none")
    ContactCenterKind contactCenter();

    /** Webhook target ({@code webhook} adapter; the {@code webex} adapter uses {@link #webexCcUrl()}). */
    Optional<String> contactCenterUrl();

    /** Webhook signing secret ({@code webhook} adapter). Never logged. */
    Optional<String> contactCenterSecret();

    /** Client id of the Webex integration (per-connector Webex link). */
    Optional<String> webexClientId();

    /** Client secret of the Webex integration. Never logged. */
    Optional<String> webexClientSecret();

    /** Webex platform and OAuth base. */
    @WithDefault("https://webexapis.com")
    String webexUrl();

    /** Webex Contact Center API base (the org's data center). */
    @WithDefault("https://api.wxcc-us1.cisco.com")
    String webexCcUrl();

    /**
     * Origins allowed to call {@code /expert-lookup} from a browser (CORS): the Webex Contact Center Desktops
     * where the {@code <teams-expert-lookup>} widget runs. Only {@code /expert-lookup} and {@code /widget/*}
     * answer them; the admin API stays closed to browsers of other origins.
     */
    @WithDefault("https://desktop.wxcc-us1.cisco.com,https://desktop.wxcc-ca1.cisco.com,"
            + "https://desktop.wxcc-eu1.cisco.com,https://desktop.wxcc-eu2.cisco.com,"
            + "https://desktop.wxcc-anz1.cisco.com,https://desktop.wxcc-jp1.cisco.com,"
            + "https://desktop.wxcc-sg1.cisco.com")
    List<String> widgetOrigins();

    /** How long an org's idle codes and desktop profiles read from Webex are reused. */
    @WithDefault("60s")
    Duration webexCatalogTtl();

    /** Database schema holding the connector's tables. */
    @WithDefault("teams_connector")
    String dbSchema();

    /** Timeout of one Graph HTTP call (connect, send, read). */
    @WithDefault("10s")
    Duration graphTimeout();

    /** Attempts per idempotent Graph or Entra call (1 = no retry) on 5xx, timeouts and 429. */
    @WithDefault("3")
    int graphMaxAttempts();

    /** First retry delay; doubled on each further attempt. */
    @WithDefault("200ms")
    Duration graphRetryBackoff();

    /** Longest {@code Retry-After} honoured; a longer one ends the call as throttled. */
    @WithDefault("30s")
    Duration graphMaxRetryAfter();

    /** Timeout of one Entra token request. */
    @WithDefault("10s")
    Duration entraTimeout();

    /**
     * Write-back's settle window: after the connector cleared its presence session in Teams, a reading that still
     * shows the activity it wrote is its own echo for this long (unless a reading without it came first).
     */
    @WithDefault("60s")
    Duration writeBackSettle();

    /** A cached access token is renewed this long before it expires. */
    @WithDefault("5m")
    Duration tokenRefreshSkew();

    /**
     * AES key (base64 of 32 bytes) that encrypts secrets at rest, such as service-account refresh
     * tokens. Never logged. Without it, service accounts cannot be added.
     */
    Optional<String> secretKey();

    /** Id of {@link #secretKey()}, stored beside every ciphertext so keys can be rotated. */
    @WithDefault("k1")
    String secretKeyId();

    /** Earlier keys still accepted for decryption, as {@code id:base64key} entries; new ciphertexts use the current key. */
    Optional<List<String>> secretOldKeys();

    enum ContactCenterKind {
        none, webhook, webex
    }
}

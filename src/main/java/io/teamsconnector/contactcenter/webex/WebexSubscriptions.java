package io.teamsconnector.contactcenter.webex;

import io.teamsconnector.config.ConnectorConfig;
import io.teamsconnector.security.SecretCipher;
import io.teamsconnector.store.ReactiveBridge;
import io.teamsconnector.store.WebexLinkRepository;
import io.teamsconnector.store.WebexLinkRepository.WebexLinkRow;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.security.SecureRandom;
import java.util.List;

/**
 * The connector's Webex webhook subscription (agent events to {@code {publicUrl}/webex/events}): registered
 * with a fresh 64-character secret (stored encrypted) when a link is made and at reactivation, deleted at
 * unlink, deactivation and deletion, checked by the maintenance pass. Blocking.
 */
@ApplicationScoped
public class WebexSubscriptions {

    public static final List<String> EVENT_TYPES = List.of("agent:login", "agent:logout", "agent:state_change");
    static final int SECRET_LENGTH = 64;
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final Logger LOG = Logger.getLogger(WebexSubscriptions.class);

    private final WebexClient webex;
    private final WebexLinkRepository links;
    private final ReactiveBridge bridge;
    private final SecretCipher cipher;
    private final ConnectorConfig config;
    private final SecureRandom random = new SecureRandom();

    public WebexSubscriptions(WebexClient webex, WebexLinkRepository links, ReactiveBridge bridge, SecretCipher cipher,
                              ConnectorConfig config) {
        this.webex = webex;
        this.links = links;
        this.bridge = bridge;
        this.cipher = cipher;
        this.config = config;
    }

    /** Associated data of the sealed secret. */
    public static String secretContext(String orgId) {
        return WebexLinkRepository.sealContext(orgId, WebexLinkRepository.SUBSCRIPTION_SECRET);
    }

    /** Where Webex delivers the connector's events. */
    public String destinationUrl() {
        return config.publicBase() + "/webex/events";
    }

    /** Registers a subscription unless the link has one; answers its id. */
    public String register(String orgId) {
        WebexLinkRow link = bridge.await(() -> links.find(orgId)).orElseThrow(() -> new WebexException(
                WebexException.Kind.NOT_LINKED, 0, "Connector " + orgId + " is not linked to Webex"));
        if (link.subscriptionId() != null) {
            return link.subscriptionId();
        }
        String secret = secret();
        WebexClient.Subscription created = webex.createSubscription(orgId, "teams-connector " + orgId,
                "Teams Connector: agent events for presence sync", EVENT_TYPES, destinationUrl(), secret);
        SecretCipher.Sealed sealed = cipher.seal(secret, secretContext(orgId));
        bridge.await(() -> links.subscribed(orgId, created.id(), created.status(), sealed.keyId(), sealed.ciphertext()));
        LOG.infof("Webex subscription %s registered for connector %s", created.id(), orgId);
        return created.id();
    }

    /** Registers the subscription, logging (not throwing) a failure: the next check registers it again. */
    public void registerQuietly(String orgId) {
        try {
            register(orgId);
        } catch (WebexException e) {
            LOG.warnf("Webex subscription of connector %s not registered now (%s); the next check tries again",
                    orgId, e.getMessage());
        }
    }

    /**
     * Deletes the connector's subscription at Webex and forgets it. A Webex that cannot be reached for it (no
     * link, token refused) is logged: the subscription then lapses at Webex, whose deliveries we refuse.
     */
    public void remove(String orgId) {
        WebexLinkRow link = bridge.await(() -> links.find(orgId)).orElse(null);
        if (link == null || link.subscriptionId() == null) {
            return;
        }
        try {
            webex.deleteSubscription(orgId, link.subscriptionId());
            LOG.infof("Webex subscription %s of connector %s deleted", link.subscriptionId(), orgId);
        } catch (WebexException e) {
            LOG.warnf("Webex subscription %s of connector %s could not be deleted at Webex (%s); it is forgotten here",
                    link.subscriptionId(), orgId, e.getMessage());
        }
        bridge.await(() -> links.unsubscribed(orgId));
    }

    /**
     * The check of the maintenance pass: a subscription Webex lost is registered again; its status (an
     * {@code inactive} one shows on the connector) is recorded. Answers the number of subscriptions created.
     */
    public int check() {
        int created = 0;
        for (WebexLinkRow link : bridge.await(links::linkedActive)) {
            try {
                if (link.subscriptionId() == null) {
                    register(link.orgId());
                    created++;
                    continue;
                }
                var current = webex.subscription(link.orgId(), link.subscriptionId());
                if (current.isEmpty()) {
                    LOG.infof("Webex lost subscription %s of connector %s; registering a new one",
                            link.subscriptionId(), link.orgId());
                    bridge.await(() -> links.unsubscribed(link.orgId()));
                    register(link.orgId());
                    created++;
                } else if (!current.get().status().equals(link.subscriptionStatus())) {
                    if ("inactive".equals(current.get().status())) {
                        LOG.warnf("Webex reports subscription %s of connector %s inactive: Webex stopped delivering "
                                + "agent events", link.subscriptionId(), link.orgId());
                    }
                    bridge.await(() -> links.subscriptionStatus(link.orgId(), link.subscriptionId(),
                            current.get().status()));
                }
            } catch (WebexException e) {
                LOG.debugf("Webex subscription check of connector %s failed: %s", link.orgId(), e.getMessage());
            }
        }
        return created;
    }

    private String secret() {
        StringBuilder secret = new StringBuilder(SECRET_LENGTH);
        for (int i = 0; i < SECRET_LENGTH; i++) {
            secret.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return secret.toString();
    }
}

package io.teamsconnector.connector;

import io.teamsconnector.config.ConnectorConfig;
import io.teamsconnector.domain.DomainException;
import io.teamsconnector.domain.ConnectorStatus;
import io.teamsconnector.domain.ConsentKind;
import io.teamsconnector.security.Hashes;
import io.teamsconnector.security.RandomTokens;
import io.teamsconnector.security.SecretCipher;
import io.teamsconnector.store.ConsentRequestRepository;
import io.teamsconnector.store.ConnectorStates;
import io.teamsconnector.store.ConnectorStates.ConnectorState;
import io.teamsconnector.store.ReactiveBridge;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.UUID;

/**
 * The admin side of a consent (API.md, Consent): opens the transaction and answers the one-time
 * authorize URL. The browser then goes to the consent function ({@code /consent/start}), which only
 * shares this transaction's row in the database with us.
 */
@ApplicationScoped
public class ConsentTickets {

    /** How long the authorizeUrl's ticket can be opened. */
    public static final Duration TICKET_TTL = Duration.ofMinutes(10);

    private static final Logger LOG = Logger.getLogger(ConsentTickets.class);

    private final ConsentRequestRepository requests;
    private final ConnectorStates connectors;
    private final ReactiveBridge bridge;
    private final SecretCipher cipher;
    private final RandomTokens random;
    private final ConnectorConfig config;

    public ConsentTickets(ConsentRequestRepository requests, ConnectorStates connectors, ReactiveBridge bridge,
                          SecretCipher cipher, RandomTokens random, ConnectorConfig config) {
        this.requests = requests;
        this.connectors = connectors;
        this.bridge = bridge;
        this.cipher = cipher;
        this.random = random;
        this.config = config;
    }

    /** The connector's status and tenant, or a 404 refusal. */
    public ConnectorState requireConnector(String orgId) {
        return bridge.await(() -> connectors.find(orgId))
                .orElseThrow(() -> DomainException.notFound("No connector for organization '" + orgId + "'."));
    }

    /** Opens a consent transaction for the connector and answers the URL an administrator opens. */
    public String authorizeUrl(String orgId, ConsentKind kind) {
        ConnectorState connector = requireConnector(orgId);
        if (kind == ConsentKind.ADMIN_CONSENT && connector.status() == ConnectorStatus.INACTIVE) {
            throw DomainException.conflict("NOT_PENDING_CONSENT",
                    "The connector is INACTIVE; reactivate it instead of granting consent again.");
        }
        if (kind != ConsentKind.ADMIN_CONSENT && !cipher.configured()) {
            throw new DomainException(DomainException.Kind.UNAVAILABLE, "SECRET_KEY_MISSING",
                    "No encryption key is configured (CONNECTOR_SECRET_KEY); tokens cannot be stored.");
        }
        if (kind == ConsentKind.SERVICE_ACCOUNT) {
            if (!connector.active()) {
                throw DomainException.conflict("NOT_ACTIVE",
                        "Service accounts can be added once admin consent made the connector ACTIVE.");
            }
        }
        String ticket = random.next();
        bridge.await(() -> requests.create(UUID.randomUUID().toString(), orgId, kind.name(),
                Hashes.sha256Hex(ticket), TICKET_TTL));
        LOG.infof("Consent transaction (%s) opened for connector %s", kind, orgId);
        // the Webex link has its own pages (and cookie path), served by the same consent function
        return config.publicBase() + (kind == ConsentKind.WEBEX_LINK ? "/webex/start" : "/consent/start")
                + "?ticket=" + ticket;
    }
}

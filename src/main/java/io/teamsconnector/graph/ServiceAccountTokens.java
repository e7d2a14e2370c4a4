package io.teamsconnector.graph;

import io.teamsconnector.config.ConnectorConfig;
import io.teamsconnector.domain.DomainException;
import io.teamsconnector.security.SecretCipher;
import io.teamsconnector.store.ConnectorStates;
import io.teamsconnector.store.ReactiveBridge;
import io.teamsconnector.store.ServiceAccountRepository;
import io.teamsconnector.store.ServiceAccountRepository.ServiceAccountRow;
import jakarta.enterprise.context.ApplicationScoped;


/**
 * Delegated access tokens of presence service accounts, for Graph subscriptions. The refresh token
 * is decrypted and redeemed on use; a rotated refresh token is stored again, encrypted with the
 * current key. Access tokens are kept in memory only, until shortly before they expire; one refresh at a
 * time per account, since Entra rotates the refresh token on every use. Blocking.
 */
@ApplicationScoped
public class ServiceAccountTokens {

    private final ServiceAccountRepository accounts;
    private final ConnectorStates connectors;
    private final ReactiveBridge bridge;
    private final EntraTokens entra;
    private final SecretCipher cipher;
    private final TokenCache<DelegatedTokens> cache;

    public ServiceAccountTokens(ServiceAccountRepository accounts, ConnectorStates connectors,
                                ReactiveBridge bridge, EntraTokens entra, SecretCipher cipher, ConnectorConfig config) {
        this.accounts = accounts;
        this.connectors = connectors;
        this.bridge = bridge;
        this.entra = entra;
        this.cipher = cipher;
        this.cache = new TokenCache<>(tokens -> tokens.expiresAt().minus(config.tokenRefreshSkew()));
    }

    /** Associated data binding a ciphertext to its row. */
    public static String context(String orgId, String userId) {
        return "service-account:" + orgId + ":" + userId;
    }

    /** The service account was removed: no token of it can be had any more. */
    public static final class ServiceAccountGone extends DomainException {
        ServiceAccountGone(String orgId, String userId) {
            super(Kind.NOT_FOUND, "NOT_FOUND", "No service account " + userId + " for organization '" + orgId + "'.");
        }
    }

    /** A delegated Graph access token of the service account; refreshes through Entra when needed. */
    public String accessToken(String orgId, String userId) {
        return cache.get(orgId + "/" + userId, key -> refresh(orgId, userId)).accessToken();
    }

    private DelegatedTokens refresh(String orgId, String userId) {
        ServiceAccountRow row = bridge.await(() -> accounts.find(orgId, userId))
                .orElseThrow(() -> new ServiceAccountGone(orgId, userId));
        String tenant = bridge.await(() -> connectors.find(orgId))
                .map(ConnectorStates.ConnectorState::tenantId)
                .orElseThrow(() -> DomainException.notFound("No connector for organization '" + orgId + "'."));
        String refreshToken = cipher.open(new SecretCipher.Sealed(row.keyId(), row.refreshTokenCiphertext()),
                context(orgId, userId));
        DelegatedTokens fresh = entra.refresh(tenant, refreshToken);
        if (!fresh.refreshToken().equals(refreshToken) || cipher.needsRotation(
                new SecretCipher.Sealed(row.keyId(), row.refreshTokenCiphertext()))) {
            SecretCipher.Sealed sealed = cipher.seal(fresh.refreshToken(), context(orgId, userId));
            bridge.await(() -> accounts.replaceToken(orgId, userId, row.refreshTokenCiphertext(), sealed.keyId(),
                    sealed.ciphertext()));
        }
        return fresh;
    }
}

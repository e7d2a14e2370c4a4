package io.teamsconnector.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.teamsconnector.support.GraphFake;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The rich-notification key and certificate as configuration carries them. */
class PemTest {

    static final String KEY_PEM = GraphFake.fixture("test-encryption-key.pem");
    static final String CERT_PEM = GraphFake.fixture("test-encryption-cert.pem");

    @Test
    void readsTheFixtureKeyWithAndWithoutArmor() {
        PrivateKey armored = Pem.privateKey(KEY_PEM);
        assertEquals("RSA", armored.getAlgorithm());
        assertEquals(armored, Pem.privateKey(bare(KEY_PEM)));
        assertEquals(armored, Pem.privateKey(bare(KEY_PEM).replace("\n", "")));
        assertEquals(armored, Pem.privateKey(KEY_PEM.replace("\n", "\r\n")));
        assertEquals(armored, Pem.privateKey("  " + KEY_PEM + "  \n\n"));
    }

    @Test
    void readsPemWhoseLineBreaksAreLiteralBackslashN() {
        // as an environment variable often carries it
        String oneLine = KEY_PEM.strip().replace("\n", "\\n");
        assertFalse(oneLine.contains("\n"));
        assertEquals(Pem.privateKey(KEY_PEM), Pem.privateKey(oneLine));
        assertEquals(Pem.certificate(CERT_PEM), Pem.certificate(CERT_PEM.strip().replace("\n", "\\n")));
    }

    @Test
    void readsTheFixtureCertificateWithAndWithoutArmor() {
        X509Certificate armored = Pem.certificate(CERT_PEM);
        assertEquals("CN=teams-connector-test-encryption", armored.getSubjectX500Principal().getName());
        assertEquals(armored, Pem.certificate(bare(CERT_PEM)));
        assertEquals(armored, Pem.certificate(bare(CERT_PEM).replace("\n", "")));
    }

    @Test
    void theKeyAndTheCertificateArePartners() {
        RSAPrivateCrtKey key = (RSAPrivateCrtKey) Pem.privateKey(KEY_PEM);
        RSAPublicKey certificateKey = (RSAPublicKey) Pem.certificate(CERT_PEM).getPublicKey();
        assertEquals(certificateKey.getModulus(), key.getModulus());
    }

    @Test
    void base64DerIsWhatGraphsEncryptionCertificateFieldCarries() throws Exception {
        String recorded = new ObjectMapper().readTree(GraphFake.fixture("subscription-create.request.json"))
                .get("encryptionCertificate").asText();
        String der = Pem.base64Der(Pem.certificate(CERT_PEM));
        assertEquals(recorded, der);
        assertFalse(der.contains("\n") || der.contains("-----"));
        assertEquals(Pem.certificate(CERT_PEM), Pem.certificate(der), "and reads back");
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"   ", "\n\n", "-----BEGIN PRIVATE KEY-----\n-----END PRIVATE KEY-----"})
    void refusesAnEmptyKeyOrCertificate(String text) {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Pem.privateKey(text)).getMessage()
                .contains("empty"));
        assertThrows(IllegalArgumentException.class, () -> Pem.certificate(text));
    }

    @Test
    void refusesTextThatIsNotBase64WithoutEchoingIt() {
        String secretLooking = "MIIEvQ!!secret-material!!";
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Pem.privateKey(secretLooking));
        assertEquals("The private key is not valid base64", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Pem.certificate(secretLooking));
    }

    @Test
    void refusesAPkcs1KeyAndSaysHowToConvertIt() {
        String pkcs1 = "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\n-----END RSA PRIVATE KEY-----\n";
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Pem.privateKey(pkcs1));
        assertTrue(e.getMessage().contains("pkcs8"), e.getMessage());
        assertFalse(e.getMessage().contains("MIIEowIBAAKCAQEA"));
    }

    @Test
    void refusesTheWrongKindOfPem() {
        assertMessageHidesInput(Pem::privateKey, CERT_PEM, "The private key is not PEM of type 'PRIVATE KEY'");
        assertMessageHidesInput(Pem::certificate, KEY_PEM, "The certificate is not PEM of type 'CERTIFICATE'");
        String noEnd = KEY_PEM.substring(0, KEY_PEM.indexOf("-----END"));
        assertMessageHidesInput(Pem::privateKey, noEnd, "The private key is not PEM of type 'PRIVATE KEY'");
    }

    @Test
    void refusesBase64ThatIsNotAKeyOrACertificate() {
        // the certificate's DER is valid base64 but no PKCS#8 key, and the other way round
        assertMessageHidesInput(Pem::privateKey, bare(CERT_PEM), "The private key is not an RSA key in PKCS#8 form");
        assertMessageHidesInput(Pem::certificate, bare(KEY_PEM), "The certificate is not an X.509 certificate");
    }

    private static void assertMessageHidesInput(Function<String, ?> parse, String input, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> parse.apply(input));
        assertEquals(message, e.getMessage());
    }

    /** The base64 lines between the armor. */
    private static String bare(String pem) {
        return pem.replaceAll("-----[A-Z ]+-----", "").strip();
    }
}

package io.teamsconnector.security;

import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;

/**
 * Reads the rich-notification key pair from configuration: PEM text or its bare base64, with or
 * without line breaks. Error messages say what is wrong, never what the text contained.
 */
public final class Pem {

    private static final String PRIVATE_KEY = "PRIVATE KEY";
    private static final String CERTIFICATE = "CERTIFICATE";

    private Pem() {
    }

    /** An RSA private key in PKCS#8 ({@code -----BEGIN PRIVATE KEY-----}). */
    public static PrivateKey privateKey(String pemOrBase64) {
        String text = normalized(pemOrBase64, "private key");
        if (text.contains("-----BEGIN RSA PRIVATE KEY-----")) {
            throw new IllegalArgumentException("The private key is PKCS#1 (BEGIN RSA PRIVATE KEY); PKCS#8 "
                    + "(BEGIN PRIVATE KEY) is needed: convert it with 'openssl pkcs8 -topk8 -nocrypt'");
        }
        byte[] der = der(text, PRIVATE_KEY, "private key");
        try {
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("The private key is not an RSA key in PKCS#8 form");
        }
    }

    /** An X.509 certificate ({@code -----BEGIN CERTIFICATE-----}). */
    public static X509Certificate certificate(String pemOrBase64) {
        byte[] der = der(normalized(pemOrBase64, "certificate"), CERTIFICATE, "certificate");
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(der));
        } catch (CertificateException | ClassCastException e) {
            throw new IllegalArgumentException("The certificate is not an X.509 certificate");
        }
    }

    /** What Graph's {@code encryptionCertificate} field wants: base64 of the DER, no armor, one line. */
    public static String base64Der(X509Certificate certificate) {
        try {
            return Base64.getEncoder().encodeToString(certificate.getEncoded());
        } catch (CertificateEncodingException e) {
            throw new IllegalArgumentException("The certificate cannot be encoded");
        }
    }

    private static String normalized(String pemOrBase64, String what) {
        if (pemOrBase64 == null || pemOrBase64.isBlank()) {
            throw new IllegalArgumentException("The " + what + " is empty");
        }
        // environment variables often carry PEM with the line breaks written as a literal \n
        return pemOrBase64.replace("\\r", "\n").replace("\\n", "\n");
    }

    private static byte[] der(String text, String label, String what) {
        String body = text;
        int begin = text.indexOf("-----BEGIN ");
        if (begin >= 0) {
            String header = "-----BEGIN " + label + "-----";
            String footer = "-----END " + label + "-----";
            int start = text.indexOf(header);
            int end = start < 0 ? -1 : text.indexOf(footer, start);
            if (start < 0 || end < 0) {
                throw new IllegalArgumentException("The " + what + " is not PEM of type '" + label + "'");
            }
            body = text.substring(start + header.length(), end);
        }
        String base64 = body.replaceAll("\\s", "");
        if (base64.isEmpty()) {
            throw new IllegalArgumentException("The " + what + " is empty");
        }
        try {
            return Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("The " + what + " is not valid base64");
        }
    }
}

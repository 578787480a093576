package io.github.spfhir.adapter.support;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Certificates made at test time for mutual TLS tests: a CA, and server and client certificates it issues, written to
 * PKCS12 key and trust stores in a temporary folder. No private key is ever committed. Valid from an hour ago (real
 * time: TLS checks against the system clock, not the tests' fixed clock) for a day.
 */
public final class TestCertificates {

    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

    private final X500Name name;
    private final KeyPair keys;
    private final X509Certificate certificate;

    private TestCertificates(X500Name name, KeyPair keys, X509Certificate certificate) {
        this.name = name;
        this.keys = keys;
        this.certificate = certificate;
    }

    /** A self-signed CA with this DN, e.g. {@code CN=Test Partner CA,O=Test}. */
    public static TestCertificates authority(String dn) {
        X500Name name = x500(dn);
        KeyPair keys = rsa();
        try {
            X509v3CertificateBuilder builder = builder(name, name, keys);
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            return new TestCertificates(name, keys, sign(builder, keys.getPrivate()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public X509Certificate certificate() {
        return certificate;
    }

    /**
     * A certificate this CA issues.
     *
     * @param dn   its subject
     * @param sans subject alternative names as {@code DNS:localhost}, {@code IP:127.0.0.1} or {@code URI:...}
     */
    public Issued issue(String dn, String... sans) {
        KeyPair leaf = rsa();
        try {
            X509v3CertificateBuilder builder = builder(name, x500(dn), leaf);
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.keyUsage, true,
                    new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
            builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(
                    new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
            if (sans.length > 0) {
                GeneralName[] names = new GeneralName[sans.length];
                for (int i = 0; i < sans.length; i++) {
                    String[] parts = sans[i].split(":", 2);
                    int tag = switch (parts[0]) {
                        case "DNS" -> GeneralName.dNSName;
                        case "IP" -> GeneralName.iPAddress;
                        case "URI" -> GeneralName.uniformResourceIdentifier;
                        default -> throw new IllegalArgumentException("SAN type " + parts[0]);
                    };
                    names[i] = new GeneralName(tag, parts[1]);
                }
                builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
            }
            return new Issued(leaf.getPrivate(), sign(builder, keys.getPrivate()), certificate);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A PKCS12 trust store holding this CA's certificate, written to {@code file}. */
    public Path trustStore(Path file, String password) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setCertificateEntry("ca", certificate);
            return write(store, file, password);
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A TLS context presenting {@code client} (none when null) and trusting the CA {@code trusted}. The certificate
     * is presented whatever CAs the server says it accepts (a JDK client would otherwise send none for a CA the server
     * does not list), so that a test can show what the server does with an untrusted one.
     */
    public static SSLContext sslContext(Issued client, TestCertificates trusted) {
        try {
            KeyManagerFactory keys = null;
            if (client != null) {
                keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                keys.init(client.keyStore("pw"), "pw".toCharArray());
            }
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("ca", trusted.certificate);
            TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trustManagers.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys == null ? null : new javax.net.ssl.KeyManager[] {
                        always((javax.net.ssl.X509ExtendedKeyManager) keys.getKeyManagers()[0])},
                    trustManagers.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The key manager's one key, offered to every server. */
    private static javax.net.ssl.X509ExtendedKeyManager always(javax.net.ssl.X509ExtendedKeyManager keys) {
        return new javax.net.ssl.X509ExtendedKeyManager() {
            @Override
            public String chooseClientAlias(String[] keyType, java.security.Principal[] issuers, java.net.Socket socket) {
                return "key";
            }

            @Override
            public String chooseEngineClientAlias(String[] keyType, java.security.Principal[] issuers,
                    javax.net.ssl.SSLEngine engine) {
                return "key";
            }

            @Override
            public String[] getClientAliases(String keyType, java.security.Principal[] issuers) {
                return new String[] {"key"};
            }

            @Override
            public String[] getServerAliases(String keyType, java.security.Principal[] issuers) {
                return keys.getServerAliases(keyType, issuers);
            }

            @Override
            public String chooseServerAlias(String keyType, java.security.Principal[] issuers, java.net.Socket socket) {
                return keys.chooseServerAlias(keyType, issuers, socket);
            }

            @Override
            public X509Certificate[] getCertificateChain(String alias) {
                return keys.getCertificateChain(alias);
            }

            @Override
            public PrivateKey getPrivateKey(String alias) {
                return keys.getPrivateKey(alias);
            }
        };
    }

    /** An issued certificate and its private key. */
    public record Issued(PrivateKey key, X509Certificate certificate, X509Certificate issuer) {

        /** A PKCS12 key store with the key and its chain (alias {@code key}), in memory. */
        public KeyStore keyStore(String password) throws GeneralSecurityException, IOException {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("key", key, password.toCharArray(), new X509Certificate[] {certificate, issuer});
            return store;
        }

        /** The same key store written to {@code file}. */
        public Path keyStore(Path file, String password) {
            try {
                return write(keyStore(password), file, password);
            } catch (GeneralSecurityException | IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private static Path write(KeyStore store, Path file, String password) throws GeneralSecurityException, IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        try (OutputStream out = Files.newOutputStream(file)) {
            store.store(out, password.toCharArray());
        }
        return file;
    }

    /** The DN as the JDK reads an RFC 2253 string (most specific first), which Bouncy Castle's parser would not reverse. */
    private static X500Name x500(String dn) {
        return X500Name.getInstance(new javax.security.auth.x500.X500Principal(dn).getEncoded());
    }

    private static X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, KeyPair keys) {
        Instant now = Instant.now();
        return new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(SERIAL.incrementAndGet()),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(1))), subject,
                keys.getPublic());
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signer) {
        try {
            return new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(signer)));
        } catch (OperatorCreationException | GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyPair rsa() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}

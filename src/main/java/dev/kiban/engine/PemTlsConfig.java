package dev.kiban.engine;

import com.github.dockerjava.transport.SSLConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyManagementException;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * TLS to a TCP engine as the docker CLI does it: with DOCKER_TLS_VERIFY set, the engine's certificate
 * must be signed by DOCKER_CERT_PATH/ca.pem (default ~/.docker), and kiban shows cert.pem with key.pem.
 * The key may be PKCS#1 RSA, SEC1 EC or PKCS#8 (what openssl and docker-machine write); BouncyCastle's
 * PEMParser reads all three. The JDK does the rest (KeyStore, SSLContext).
 */
final class PemTlsConfig implements SSLConfig {
    private final Path directory;

    PemTlsConfig(Path directory) {
        this.directory = directory;
    }

    /** TLS when DOCKER_TLS_VERIFY is set to anything but empty or 0, as the docker CLI reads it; else none. */
    static Optional<SSLConfig> fromEnvironment(Map<String, String> env, String home) {
        String verify = env.getOrDefault("DOCKER_TLS_VERIFY", "");
        if (verify.isEmpty() || verify.equals("0") || verify.equalsIgnoreCase("false")) return Optional.empty();
        String certPath = env.getOrDefault("DOCKER_CERT_PATH", "");
        return Optional.of(new PemTlsConfig(certPath.isEmpty() ? Path.of(home, ".docker") : Path.of(certPath)));
    }

    Path directory() {
        return directory;
    }

    @Override
    public SSLContext getSSLContext() throws KeyManagementException, UnrecoverableKeyException,
            NoSuchAlgorithmException, KeyStoreException {
        try {
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            int i = 0;
            for (Certificate ca : certificates(directory.resolve("ca.pem"))) trust.setCertificateEntry("ca" + i++, ca);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);

            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            KeyStore keys = KeyStore.getInstance(KeyStore.getDefaultType());
            keys.load(null, null);
            char[] password = new char[0];
            Path cert = directory.resolve("cert.pem");
            Path key = directory.resolve("key.pem");
            if (Files.exists(cert) || Files.exists(key)) {
                keys.setKeyEntry("client", privateKey(key), password,
                        certificates(cert).toArray(Certificate[]::new));
            }
            kmf.init(keys, password);

            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
            return context;
        } catch (IOException e) {
            throw new KeyStoreException("cannot read the TLS files in " + directory + " (DOCKER_CERT_PATH): "
                    + e.getMessage(), e);
        } catch (KeyManagementException | UnrecoverableKeyException | NoSuchAlgorithmException
                 | KeyStoreException e) {
            throw e;
        } catch (GeneralSecurityException e) {
            throw new KeyStoreException("cannot use the TLS files in " + directory + ": " + e.getMessage(), e);
        }
    }

    static List<Certificate> certificates(Path pem) throws IOException, GeneralSecurityException {
        try (InputStream in = Files.newInputStream(pem)) {
            List<Certificate> all = List.copyOf(
                    CertificateFactory.getInstance("X.509").generateCertificates(in));
            if (all.isEmpty()) throw new IOException(pem.getFileName() + " holds no certificate");
            return all;
        }
    }

    /** The key in a PEM file: PKCS#1 ("RSA PRIVATE KEY"), SEC1 ("EC PRIVATE KEY") or PKCS#8 ("PRIVATE KEY"). */
    static PrivateKey privateKey(Path pem) throws IOException {
        try (Reader reader = Files.newBufferedReader(pem, StandardCharsets.US_ASCII);
             PEMParser parser = new PEMParser(reader)) {
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
                if (o instanceof PEMKeyPair pair) return converter.getPrivateKey(pair.getPrivateKeyInfo());
                if (o instanceof PrivateKeyInfo info) return converter.getPrivateKey(info);
            }
            throw new IOException(pem.getFileName() + " holds no unencrypted private key");
        }
    }
}

package dev.kiban.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiban.testing.HostTools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStoreException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * TLS to a TCP engine from a DOCKER_CERT_PATH directory, with keys as openssl writes them: PKCS#1 RSA,
 * SEC1 EC and PKCS#8. A real handshake on loopback against a server that requires the client's
 * certificate, both signed by a CA made here.
 */
class PemTlsConfigTest {
    @TempDir
    Path dir;

    private void openssl(String... args) throws IOException {
        var argv = new java.util.ArrayList<>(List.of(HostTools.require("openssl").toString()));
        argv.addAll(List.of(args));
        var r = HostTools.run(argv.toArray(String[]::new));
        assertThat(r.ok()).as(String.join(" ", args) + "\n" + r.output()).isTrue();
    }

    /** Key generation as docker's TLS guide and docker-machine do it, one per key format. */
    private void key(String format, Path key) throws IOException {
        switch (format) {
            case "rsa-pkcs1" -> openssl("genrsa", "-traditional", "-out", key.toString(), "2048");
            case "ec-sec1" -> openssl("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", key.toString());
            case "pkcs8" -> openssl("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048",
                    "-out", key.toString());
            default -> throw new IllegalArgumentException(format);
        }
    }

    /** ca.pem, and a certificate signed by it for the key (cert.pem or server-cert.pem). */
    private void signed(Path key, Path cert, String name) throws IOException {
        Path csr = dir.resolve(name + ".csr");
        openssl("req", "-new", "-key", key.toString(), "-subj", "/CN=" + name, "-out", csr.toString());
        openssl("x509", "-req", "-in", csr.toString(), "-CA", dir.resolve("ca.pem").toString(), "-CAkey",
                dir.resolve("ca-key.pem").toString(), "-CAcreateserial", "-days", "2", "-out", cert.toString());
    }

    private Path certDirectory(String clientKeyFormat) throws IOException {
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", dir.resolve("ca-key.pem").toString(),
                "-subj", "/CN=kiban test CA", "-days", "2", "-out", dir.resolve("ca.pem").toString());
        key(clientKeyFormat, dir.resolve("key.pem"));
        signed(dir.resolve("key.pem"), dir.resolve("cert.pem"), "client");
        key("pkcs8", dir.resolve("server-key.pem"));
        signed(dir.resolve("server-key.pem"), dir.resolve("server-cert.pem"), "localhost");
        return dir;
    }

    @ParameterizedTest
    @ValueSource(strings = {"rsa-pkcs1", "ec-sec1", "pkcs8"})
    void eachKeyFormatIsReadAndMatchesItsCertificate(String format) throws Exception {
        Path certs = certDirectory(format);
        assertThat(Files.readString(certs.resolve("key.pem"))).contains(switch (format) {
            case "rsa-pkcs1" -> "BEGIN RSA PRIVATE KEY";
            case "ec-sec1" -> "BEGIN EC PRIVATE KEY";
            default -> "BEGIN PRIVATE KEY";
        });
        PrivateKey key = PemTlsConfig.privateKey(certs.resolve("key.pem"));
        X509Certificate cert = (X509Certificate) PemTlsConfig.certificates(certs.resolve("cert.pem")).get(0);
        String algorithm = format.startsWith("ec") ? "SHA256withECDSA" : "SHA256withRSA";
        Signature sign = Signature.getInstance(algorithm);
        sign.initSign(key);
        sign.update("kiban".getBytes());
        byte[] signature = sign.sign();
        Signature verify = Signature.getInstance(algorithm);
        verify.initVerify(cert.getPublicKey());
        verify.update("kiban".getBytes());
        assertThat(verify.verify(signature)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"rsa-pkcs1", "ec-sec1", "pkcs8"})
    void aHandshakeWithClientAuthenticationSucceeds(String format) throws Exception {
        Path certs = certDirectory(format);
        SSLContext client = new PemTlsConfig(certs).getSSLContext();
        // the server: its own key and certificate, trusting the same CA, requiring a client certificate
        Path server = Files.createDirectories(dir.resolve("server"));
        Files.copy(certs.resolve("ca.pem"), server.resolve("ca.pem"));
        Files.copy(certs.resolve("server-cert.pem"), server.resolve("cert.pem"));
        Files.copy(certs.resolve("server-key.pem"), server.resolve("key.pem"));
        SSLContext serverContext = new PemTlsConfig(server).getSSLContext();
        try (SSLServerSocket listener = (SSLServerSocket) serverContext.getServerSocketFactory()
                .createServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            listener.setNeedClientAuth(true);
            CompletableFuture<String> peer = CompletableFuture.supplyAsync(() -> {
                try (SSLSocket s = (SSLSocket) listener.accept()) {
                    s.startHandshake();
                    s.getOutputStream().write(1);
                    return ((X509Certificate) s.getSession().getPeerCertificates()[0]).getSubjectX500Principal()
                            .getName();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            try (SSLSocket s = (SSLSocket) client.getSocketFactory().createSocket(
                    java.net.InetAddress.getLoopbackAddress(), listener.getLocalPort())) {
                s.startHandshake();
                assertThat(s.getInputStream().read()).isEqualTo(1);
                assertThat(((X509Certificate) s.getSession().getPeerCertificates()[0])
                        .getSubjectX500Principal().getName()).isEqualTo("CN=localhost");
            }
            assertThat(peer.get(10, TimeUnit.SECONDS)).isEqualTo("CN=client");
        }
    }

    @Test
    void anEngineSignedByAnotherCaIsRefused() throws Exception {
        Path certs = certDirectory("pkcs8");
        SSLContext client = new PemTlsConfig(certs).getSSLContext();
        // a server whose certificate its own CA signed, unknown to the client
        Path other = Files.createDirectories(dir.resolve("other"));
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", other.resolve("key.pem").toString(),
                "-subj", "/CN=localhost", "-days", "2", "-out", other.resolve("cert.pem").toString());
        Files.copy(other.resolve("cert.pem"), other.resolve("ca.pem"));
        SSLContext serverContext = new PemTlsConfig(other).getSSLContext();
        try (SSLServerSocket listener = (SSLServerSocket) serverContext.getServerSocketFactory()
                .createServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            CompletableFuture.runAsync(() -> {
                try (SSLSocket s = (SSLSocket) listener.accept()) {
                    s.startHandshake();
                } catch (IOException expected) {
                    // the client hangs up
                }
            });
            try (SSLSocket s = (SSLSocket) client.getSocketFactory().createSocket(
                    java.net.InetAddress.getLoopbackAddress(), listener.getLocalPort())) {
                assertThatThrownBy(s::startHandshake).isInstanceOf(javax.net.ssl.SSLHandshakeException.class);
            }
        }
    }

    @Test
    void missingOrWrongFilesNameTheDirectory() throws Exception {
        assertThatThrownBy(() -> new PemTlsConfig(dir).getSSLContext()).isInstanceOf(KeyStoreException.class)
                .hasMessageContaining(dir.toString()).hasMessageContaining("DOCKER_CERT_PATH");
        Files.writeString(dir.resolve("key.pem"), "not a key\n");
        assertThatThrownBy(() -> PemTlsConfig.privateKey(dir.resolve("key.pem"))).isInstanceOf(IOException.class)
                .hasMessageContaining("no unencrypted private key");
    }

    @Test
    void theEnvironmentDecidesAsTheDockerCliDoes() {
        assertThat(PemTlsConfig.fromEnvironment(Map.of(), "/home/op")).isEmpty();
        assertThat(PemTlsConfig.fromEnvironment(Map.of("DOCKER_TLS_VERIFY", ""), "/home/op")).isEmpty();
        assertThat(PemTlsConfig.fromEnvironment(Map.of("DOCKER_TLS_VERIFY", "0"), "/home/op")).isEmpty();
        assertThat(PemTlsConfig.fromEnvironment(Map.of("DOCKER_TLS_VERIFY", "1"), "/home/op"))
                .get().extracting(c -> ((PemTlsConfig) c).directory()).isEqualTo(Path.of("/home/op/.docker"));
        assertThat(PemTlsConfig.fromEnvironment(Map.of("DOCKER_TLS_VERIFY", "1", "DOCKER_CERT_PATH", "/etc/d"),
                "/home/op")).get().extracting(c -> ((PemTlsConfig) c).directory()).isEqualTo(Path.of("/etc/d"));
    }
}

package dev.kiban.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiban.engine.ServerTls;
import dev.kiban.spec.SpecDocument;
import dev.kiban.testing.FakeEngine;
import dev.kiban.testing.HostTools;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Clock;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard over TLS from a PEM certificate and key as openssl writes them: the client that trusts that
 * certificate gets the page only after the token exchange, with HSTS, and the session cookie works over TLS.
 */
class DashboardTlsTest {
    static final String TOKEN = "a-token-of-at-least-16-characters";

    @TempDir
    Path dir;

    @Test
    void servesOverTlsWithTheTokenExchange() throws Exception {
        Path cert = dir.resolve("dashboard.crt");
        Path key = dir.resolve("dashboard.key");
        var r = HostTools.run(HostTools.require("openssl").toString(), "req", "-x509", "-newkey", "ec",
                "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", key.toString(), "-out",
                cert.toString(), "-days", "2", "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1");
        assertThat(r.ok()).as(r.output()).isTrue();

        Sources sources = new Sources(FakeEngine::new, SpecDocument.builtin().require(), "built-in",
                dir.resolve("monitor"), p -> Optional.empty(), Clock.systemUTC());
        try (DashboardServer server = DashboardServer.start(new DashboardSettings(InetAddress.getLoopbackAddress(), 0,
                Optional.of(ServerTls.context(cert, key)), Optional.of(TOKEN.getBytes(StandardCharsets.UTF_8)), "t"),
                sources)) {
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            try (var in = java.nio.file.Files.newInputStream(cert)) {
                trust.setCertificateEntry("dashboard", CertificateFactory.getInstance("X.509").generateCertificate(in));
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext client = SSLContext.getInstance("TLS");
            client.init(null, tmf.getTrustManagers(), null);
            HttpClient http = HttpClient.newBuilder().sslContext(client).followRedirects(HttpClient.Redirect.NEVER)
                    .build();
            String base = "https://127.0.0.1:" + server.address().getPort();

            HttpResponse<String> denied = http.send(HttpRequest.newBuilder(URI.create(base + "/")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(denied.statusCode()).isEqualTo(401);
            assertThat(denied.headers().firstValue("Strict-Transport-Security")).isPresent();
            HttpResponse<String> exchanged = http.send(HttpRequest.newBuilder(URI.create(base + "/?token=" + TOKEN))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(exchanged.statusCode()).isEqualTo(303);
            String cookie = exchanged.headers().firstValue("Set-Cookie").orElseThrow();
            HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(base + "/"))
                    .header("Cookie", cookie.substring(0, cookie.indexOf(';'))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).contains("<h1>Overview</h1>").doesNotContain(TOKEN);
        }
    }
}

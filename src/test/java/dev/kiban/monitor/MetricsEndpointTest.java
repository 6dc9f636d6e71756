package dev.kiban.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MetricsEndpointTest {
    static final String TEXT = "# TYPE kiban_up gauge\nkiban_up 1\n";
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    HttpResponse<String> get(MetricsEndpoint m, String method, String path) throws Exception {
        HttpRequest r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + m.port() + path))
                .timeout(Duration.ofSeconds(3))
                .method(method, HttpRequest.BodyPublishers.noBody()).build();
        return http.send(r, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void servesTheMetricsAndNothingElse() throws Exception {
        try (MetricsEndpoint m = new MetricsEndpoint("127.0.0.1", 0, () -> TEXT)) {
            HttpResponse<String> ok = get(m, "GET", "/metrics");
            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(ok.body()).isEqualTo(TEXT);
            assertThat(ok.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
            assertThat(get(m, "GET", "/metrics?x=1").statusCode()).isEqualTo(200);
            HttpResponse<String> head = get(m, "HEAD", "/metrics");
            assertThat(head.statusCode()).isEqualTo(200);
            assertThat(head.body()).isEmpty();
            assertThat(get(m, "GET", "/").statusCode()).isEqualTo(404);
            assertThat(get(m, "POST", "/metrics").statusCode()).isEqualTo(405);
        }
    }

    @Test
    void aClientThatSendsNothingDoesNotStallAScrape() throws Exception {
        try (MetricsEndpoint m = new MetricsEndpoint("127.0.0.1", 0, () -> TEXT);
             Socket silent = new Socket("127.0.0.1", m.port());
             Socket half = new Socket("127.0.0.1", m.port())) {
            // a request begun and never finished (no blank line)
            half.getOutputStream().write("GET /metrics HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
            half.getOutputStream().flush();
            long start = System.nanoTime();
            assertThat(get(m, "GET", "/metrics").body()).isEqualTo(TEXT);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
        }
    }

    @Test
    void slowClientsInEveryWorkerAreCutOffAtTheTimeout() throws Exception {
        List<Socket> slow = new ArrayList<>();
        try (MetricsEndpoint m = new MetricsEndpoint("127.0.0.1", 0, () -> TEXT, Duration.ofSeconds(1))) {
            for (int i = 0; i < MetricsEndpoint.THREADS + 2; i++) {
                Socket s = new Socket("127.0.0.1", m.port());
                s.getOutputStream().write("GET /metr".getBytes(StandardCharsets.US_ASCII));
                s.getOutputStream().flush();
                slow.add(s);
            }
            long start = System.nanoTime();
            assertThat(get(m, "GET", "/metrics").body()).isEqualTo(TEXT);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("waits at most for the slow ones' deadline")
                    .isLessThan(Duration.ofSeconds(3));
            for (Socket s : slow) {
                s.setSoTimeout(3000);
                InputStream in = s.getInputStream();
                assertThat(in.read()).as("the server hung up on it").isEqualTo(-1);
            }
        } finally {
            for (Socket s : slow) s.close();
        }
    }
}

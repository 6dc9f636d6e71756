package dev.kiban.engine;

import com.github.dockerjava.transport.DockerHttpClient;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A docker-java transport for the local engine socket: plain HTTP/1.1 over the JDK's unix-domain
 * sockets, one connection per request. docker-java's bundled transports set up TLS (the JDK trust
 * store) even for a unix socket, which costs a CLI a third of a second per start; this one does not.
 * TCP and TLS engines still go through docker-java's own transport.
 *
 * <p>Every wait has a limit, so a hung dockerd fails a command instead of hanging it: connecting
 * ({@link EngineTimeouts#connect}), and each read or write of a request ({@link EngineTimeouts#read}, the longest
 * the engine may stay silent). Requests that are silent by nature (the event stream, image save and
 * load, exec) pass their own limit, or none, to {@link #execute(Request, Duration)}. Every failure is
 * an {@link EngineUnavailableException}: the environment, not the command, is what broke.
 */
final class UnixSocketTransport implements DockerHttpClient {
    private final String socketPath;
    private final EngineTimeouts timeouts;

    UnixSocketTransport(String socketPath) {
        this(socketPath, EngineTimeouts.DEFAULT);
    }

    UnixSocketTransport(String socketPath, EngineTimeouts timeouts) {
        this.socketPath = socketPath;
        this.timeouts = timeouts;
    }

    @Override
    public Response execute(Request request) {
        return execute(request, timeouts.read());
    }

    /** The request with its own read limit: null or zero for a stream that may be silent for as long as it likes. */
    Response execute(Request request, Duration readTimeout) {
        if (request.hijackedInput() != null) {
            throw new UnsupportedOperationException("attaching to a container's input needs docker-java's TCP "
                    + "transport");
        }
        String what = request.method() + " " + request.path().replaceFirst("\\?.*", "");
        Connection c = null;
        try {
            c = Connection.open(socketPath, timeouts.connect());
            c.readTimeout = readTimeout;
            OutputStream out = c.output();
            byte[] body = request.bodyBytes();
            InputStream stream = body == null ? request.body() : null;
            StringBuilder head = new StringBuilder()
                    .append(request.method()).append(' ').append(request.path()).append(" HTTP/1.1\r\n")
                    .append("Host: docker\r\nConnection: close\r\n");
            request.headers().forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
            if (body != null || stream != null) {
                if (!request.headers().containsKey("Content-Type")) head.append("Content-Type: application/json\r\n");
                if (body != null) head.append("Content-Length: ").append(body.length).append("\r\n");
                else head.append("Transfer-Encoding: chunked\r\n"); // a stream of unknown length (docker load)
            }
            head.append("\r\n");
            out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            if (body != null) out.write(body);
            if (stream != null) {
                byte[] buf = new byte[1 << 16];
                for (int n = stream.read(buf); n >= 0; n = stream.read(buf)) {
                    if (n == 0) continue;
                    out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                    out.write(buf, 0, n);
                    out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
                }
                out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            }
            out.flush();
            return read(c);
        } catch (IOException e) {
            closeQuietly(c);
            throw failure(socketPath, what, e);
        }
    }

    /** What an operator is told when the engine's socket fails {@code what}; no class names. */
    static EngineUnavailableException failure(String socketPath, String what, IOException e) {
        String where = "the engine at unix://" + socketPath;
        if (e instanceof SocketTimeoutException) {
            return new EngineUnavailableException(where + " " + e.getMessage() + " during " + what
                    + " (is dockerd hung? see 'systemctl status docker' and 'journalctl -u docker')");
        }
        return new EngineUnavailableException(where + " failed " + what + ": " + EngineConnection.rootMessage(e));
    }

    private static Response read(Connection socket) throws IOException {
        InputStream in = new BufferedInputStream(socket.input(), 1 << 16);
        String status = line(in);
        String[] parts = status.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/")) throw new IOException("not an HTTP response from the "
                + "engine: " + status);
        int code = Integer.parseInt(parts[1]);
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (String h = line(in); !h.isEmpty(); h = line(in)) {
            int colon = h.indexOf(':');
            if (colon > 0) headers.computeIfAbsent(h.substring(0, colon).trim(), k -> new ArrayList<>())
                    .add(h.substring(colon + 1).trim());
        }
        InputStream body;
        String encoding = first(headers, "Transfer-Encoding");
        String length = first(headers, "Content-Length");
        if (encoding != null && encoding.toLowerCase(Locale.ROOT).contains("chunked")) body = new Chunked(in);
        else if (length != null) body = new Limited(in, Long.parseLong(length));
        else body = in; // Connection: close, so the body ends with the stream
        InputStream finalBody = body;
        return new Response() {
            @Override
            public int getStatusCode() {
                return code;
            }

            @Override
            public Map<String, List<String>> getHeaders() {
                return headers;
            }

            @Override
            public InputStream getBody() {
                return finalBody;
            }

            @Override
            public void close() {
                closeQuietly(socket);
            }
        };
    }

    private static String first(Map<String, List<String>> headers, String name) {
        List<String> v = headers.get(name);
        return v == null || v.isEmpty() ? null : v.get(0);
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream(64);
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) throw new IOException("the engine closed the connection mid-response");
            if (b != '\r') buf.write(b);
        }
        return buf.toString(StandardCharsets.ISO_8859_1);
    }

    private static void closeQuietly(Closeable socket) {
        if (socket == null) return;
        try {
            socket.close();
        } catch (IOException e) {
            // the connection is being discarded either way
        }
    }

    /**
     * A non-blocking unix socket driven through its own selector, which is what gives reads and writes a
     * time limit: the JDK's blocking unix channels have no SO_TIMEOUT.
     */
    private static final class Connection implements Closeable {
        private final SocketChannel channel;
        private final Selector selector;
        volatile Duration readTimeout;

        private Connection(SocketChannel channel, Selector selector) {
            this.channel = channel;
            this.selector = selector;
        }

        static Connection open(String path, Duration connectTimeout) throws IOException {
            SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
            Selector sel = null;
            try {
                ch.configureBlocking(false);
                sel = Selector.open();
                Connection c = new Connection(ch, sel);
                if (!ch.connect(UnixDomainSocketAddress.of(path))) {
                    c.await(SelectionKey.OP_CONNECT, connectTimeout, "did not accept the connection within");
                    ch.finishConnect();
                }
                return c;
            } catch (IOException | RuntimeException e) {
                closeQuietly(sel);
                closeQuietly(ch);
                throw e;
            }
        }

        /** Waits until the channel is ready for {@code op}, at most {@code limit} (none when null or zero). */
        private void await(int op, Duration limit, String what) throws IOException {
            SelectionKey key = channel.register(selector, op);
            try {
                long ms = limit == null || limit.isZero() ? 0 : Math.max(1, limit.toMillis());
                if (selector.select(ms) == 0 && ms > 0 && !Thread.currentThread().isInterrupted()) {
                    throw new SocketTimeoutException(what + " " + human(limit));
                }
                if (Thread.currentThread().isInterrupted()) throw new java.io.InterruptedIOException("interrupted");
            } finally {
                key.interestOps(0);
                selector.selectedKeys().clear();
            }
        }

        private static String human(Duration d) {
            return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
        }

        InputStream input() {
            return new InputStream() {
                @Override
                public int read() throws IOException {
                    byte[] one = new byte[1];
                    int n = read(one, 0, 1);
                    return n < 0 ? -1 : one[0] & 0xff;
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    if (len == 0) return 0;
                    ByteBuffer buf = ByteBuffer.wrap(b, off, len);
                    while (true) {
                        if (!channel.isOpen()) throw new IOException("the connection was closed");
                        int n = channel.read(buf);
                        if (n != 0) return n;
                        await(SelectionKey.OP_READ, readTimeout, "went silent for");
                    }
                }

                @Override
                public void close() throws IOException {
                    Connection.this.close();
                }
            };
        }

        OutputStream output() {
            return new OutputStream() {
                @Override
                public void write(int b) throws IOException {
                    write(new byte[] {(byte) b}, 0, 1);
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    ByteBuffer buf = ByteBuffer.wrap(b, off, len);
                    while (buf.hasRemaining()) {
                        if (channel.write(buf) == 0) {
                            await(SelectionKey.OP_WRITE, readTimeout, "stopped reading the request for");
                        }
                    }
                }
            };
        }

        @Override
        public void close() throws IOException {
            try {
                selector.close();
            } finally {
                channel.close();
            }
        }
    }

    @Override
    public void close() {
        // no pooled connections to release
    }

    /** A body of known length. */
    private static final class Limited extends FilterInputStream {
        private long left;

        Limited(InputStream in, long length) {
            super(in);
            this.left = length;
        }

        @Override
        public int read() throws IOException {
            if (left <= 0) return -1;
            int b = super.read();
            if (b >= 0) left--;
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left <= 0) return -1;
            int n = super.read(b, off, (int) Math.min(len, left));
            if (n > 0) left -= n;
            return n;
        }
    }

    /** A chunked body, decoded as it is read, so streams (events, logs, stats) arrive as they come. */
    private static final class Chunked extends InputStream {
        private final InputStream in;
        private long left;
        private boolean done;

        Chunked(InputStream in) {
            this.in = in;
        }

        private boolean ready() throws IOException {
            if (done) return false;
            if (left == 0) {
                String size = line(in);
                if (size.isEmpty()) size = line(in); // the CRLF that closes the previous chunk
                int semi = size.indexOf(';');
                left = Long.parseLong((semi < 0 ? size : size.substring(0, semi)).trim(), 16);
                if (left == 0) {
                    done = true;
                    return false;
                }
            }
            return true;
        }

        @Override
        public int read() throws IOException {
            if (!ready()) return -1;
            int b = in.read();
            if (b >= 0) left--;
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) return 0;
            if (!ready()) return -1;
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n > 0) left -= n;
            return n;
        }
    }
}

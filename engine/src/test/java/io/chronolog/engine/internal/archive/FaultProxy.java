package io.chronolog.engine.internal.archive;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy on 127.0.0.1 (a free port) in front of an HTTP/1.1 server, injecting one fault per
 * request: the server down (connections closed or refused), {@code 503 Slow Down} answered in the
 * server's place, no answer at all, a connection reset in the middle of a request or just before
 * its answer, an answer cut short, or added latency. Plain sockets, one thread per connection.
 *
 * <p>Requests are framed, not just relayed: the proxy reads each request's head and its body
 * (by {@code Content-Length} or chunked encoding) and each answer's head and body the same way, so
 * a kept-alive connection carries several requests and each one is counted and meets the fault in
 * force when its head arrived. This keeps the client's connection reuse as it is without the proxy
 * (a fault must not hide a client that reuses a broken connection). A request with
 * {@code Expect: 100-continue} sends its body only once the server answered {@code 100}; a final
 * answer instead means no body follows. Clients must not pipeline (the AWS SDK's clients do not).
 *
 * <p>Invariants: every request head read from a client is counted exactly once, by method, a
 * {@code GET} whose query has {@code list-type=} counting as {@code LIST}, whatever its fault; a
 * connection closed or refused before a request head arrived counts no request. In
 * {@link Mode#PASS} the bytes in both directions are relayed unchanged. Changing the mode is
 * thread-safe and applies to requests whose head arrives afterwards.
 */
public final class FaultProxy implements AutoCloseable {
    /** The fault applied to a request. */
    public enum Mode {
        /** Relay requests and answers unchanged. */
        PASS,
        /**
         * The server is down, closing connections: a new connection is closed as soon as it is
         * accepted (nothing read); a request on a connection opened before is closed unanswered.
         */
        DOWN_CLOSE,
        /**
         * The server is down, refusing connections: the proxy stops listening (connecting is refused)
         * and a request on a connection opened before is closed unanswered.
         */
        DOWN_REFUSE,
        /** Answer {@code 503 Slow Down} with S3's {@code SlowDown} error body, forwarding nothing. */
        HTTP_503,
        /** Read the request and never answer; the client must give up by itself. */
        STALL,
        /** Forward half the request (its head and half its body, or half its head) and reset both connections. */
        RESET_MID_REQUEST,
        /**
         * Forward the whole request and reset the client's connection when the server's answer
         * starts: the server did the work, the client never learns it.
         */
        RESET_BEFORE_RESPONSE,
        /** Forward the request, relay the answer's head and half its body (half its head when it has none), then close. */
        TRUNCATE_RESPONSE,
        /** Relay unchanged after waiting the proxy's {@linkplain #latency(Duration) latency}. */
        LATENCY
    }

    /** How many bytes of a chunked or close-delimited body a partial relay passes on. */
    private static final int PARTIAL_UNFRAMED = 64;
    private static final int MAX_HEAD = 64 * 1024;

    private final InetSocketAddress target;
    private final int port;
    private final Object lock = new Object();
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();
    private final AtomicLong connections = new AtomicLong();

    // guarded by lock
    private ServerSocket listener;
    private Mode mode = Mode.PASS;
    private Duration latency = Duration.ZERO;
    private int failuresLeft;
    private Mode failure;
    private boolean closed;

    private FaultProxy(InetSocketAddress target) throws IOException {
        this.target = target;
        this.listener = listen(0);
        this.port = listener.getLocalPort();
        startAccepting(listener);
    }

    /** A proxy in PASS mode in front of {@code host:port}. */
    public static FaultProxy start(String host, int port) throws IOException {
        return new FaultProxy(new InetSocketAddress(host, port));
    }

    /** A proxy in PASS mode in front of the host and port of {@code target} (an {@code http} URI with a port). */
    public static FaultProxy start(URI target) throws IOException {
        if (target.getPort() < 0) {
            throw new IllegalArgumentException("no port in " + target);
        }
        return start(target.getHost(), target.getPort());
    }

    /** Where clients connect: {@code http://127.0.0.1:PORT}. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    public int port() {
        return port;
    }

    /** Applies {@code mode} to every request from now on (and cancels a pending {@link #failNext}). */
    public void mode(Mode mode) {
        if (mode == Mode.LATENCY) {
            throw new IllegalArgumentException("LATENCY needs a delay: use latency(Duration)");
        }
        set(mode, Duration.ZERO);
    }

    /** Relays every request from now on after waiting {@code delay}. */
    public void latency(Duration delay) {
        if (delay.isNegative()) {
            throw new IllegalArgumentException("negative latency " + delay);
        }
        set(Mode.LATENCY, delay);
    }

    /**
     * Applies {@code fault} to the next {@code n} requests, then passes requests again. Only
     * per-request faults: not {@link Mode#DOWN_REFUSE} (a refused connection carries no request)
     * nor {@link Mode#LATENCY}; {@link Mode#DOWN_CLOSE} here closes the connection once the
     * request's head is read.
     */
    public void failNext(int n, Mode fault) {
        if (n < 0 || fault == Mode.DOWN_REFUSE || fault == Mode.LATENCY || fault == Mode.PASS) {
            throw new IllegalArgumentException("cannot fail the next " + n + " requests with " + fault);
        }
        synchronized (lock) {
            set(Mode.PASS, Duration.ZERO);
            failuresLeft = n;
            failure = fault;
        }
    }

    /** The mode in force for the next request, not counting a pending {@link #failNext}. */
    public Mode mode() {
        synchronized (lock) {
            return mode;
        }
    }

    /** How many requests of {@code kind} arrived: GET, PUT, HEAD, DELETE, POST, ... or LIST (a GET with {@code list-type=}). */
    public long requests(String kind) {
        AtomicLong n = counts.get(kind.toUpperCase(Locale.ROOT));
        return n == null ? 0 : n.get();
    }

    /** Every request arrived, by kind (as {@link #requests(String)}), in name order; kinds never seen are absent. */
    public Map<String, Long> requestCounts() {
        Map<String, Long> out = new TreeMap<>();
        counts.forEach((k, v) -> {
            if (v.get() > 0) {
                out.put(k, v.get());
            }
        });
        return out;
    }

    /** How many requests arrived, of every kind. */
    public long requests() {
        return counts.values().stream().mapToLong(AtomicLong::get).sum();
    }

    /** How many connections were accepted (closed ones included). */
    public long connections() {
        return connections.get();
    }

    /** Sets every request count and the connection count to zero. */
    public void resetCounts() {
        counts.values().forEach(v -> v.set(0));
        connections.set(0);
    }

    /** Stops listening and closes every connection. */
    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
            closeQuietly(listener);
            listener = null;
        }
        for (Socket s : sockets) {
            closeQuietly(s);
        }
    }

    private void set(Mode newMode, Duration delay) {
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("the proxy is closed");
            }
            failuresLeft = 0;
            failure = null;
            latency = delay;
            mode = newMode;
            if (newMode == Mode.DOWN_REFUSE && listener != null) {
                closeQuietly(listener);
                listener = null;
            } else if (newMode != Mode.DOWN_REFUSE && listener == null) {
                try {
                    listener = listen(port);
                } catch (IOException e) {
                    throw new IllegalStateException("cannot listen again on 127.0.0.1:" + port + ": " + e.getMessage(), e);
                }
                startAccepting(listener);
            }
        }
    }

    /** The fault for a request whose head just arrived, consuming one of {@link #failNext}'s. */
    private Mode take() {
        synchronized (lock) {
            if (failuresLeft > 0) {
                failuresLeft--;
                return failure;
            }
            return mode;
        }
    }

    private Duration latencyNow() {
        synchronized (lock) {
            return latency;
        }
    }

    private static ServerSocket listen(int port) throws IOException {
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
        return s;
    }

    private void startAccepting(ServerSocket server) {
        Thread t = new Thread(() -> accept(server), "fault-proxy-accept-" + port);
        t.setDaemon(true);
        t.start();
    }

    private void accept(ServerSocket server) {
        while (true) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return; // the listener was closed (DOWN_REFUSE or close)
            }
            connections.incrementAndGet();
            boolean down;
            synchronized (lock) {
                down = closed || mode == Mode.DOWN_CLOSE || mode == Mode.DOWN_REFUSE;
            }
            if (down) {
                closeQuietly(client);
                continue;
            }
            sockets.add(client);
            Thread t = new Thread(() -> serve(client), "fault-proxy-conn-" + port);
            t.setDaemon(true);
            t.start();
        }
    }

    /** One client connection: request, answer, request, answer... until either side closes or a fault ends it. */
    private void serve(Socket client) {
        Socket upstream = null;
        InputStream upIn = null;
        OutputStream upOut = null;
        try {
            client.setTcpNoDelay(true);
            InputStream in = new BufferedInputStream(client.getInputStream());
            OutputStream out = client.getOutputStream();
            while (true) {
                Head request = Head.read(in);
                if (request == null) {
                    return; // the client closed its connection between requests
                }
                count(request);
                Mode fault = take();
                switch (fault) {
                    case DOWN_CLOSE, DOWN_REFUSE -> {
                        return;
                    }
                    case STALL -> {
                        drain(in); // until the client gives up
                        return;
                    }
                    case HTTP_503 -> {
                        if (!slowDown(client, in, out, request)) {
                            return;
                        }
                        continue;
                    }
                    case LATENCY -> sleep(latencyNow());
                    default -> {
                    }
                }
                if (upstream == null) { // one connection to the server per client connection, opened at its first request
                    upstream = new Socket();
                    sockets.add(upstream);
                    upstream.connect(target, 5000);
                    upstream.setTcpNoDelay(true);
                    upIn = new BufferedInputStream(upstream.getInputStream());
                    upOut = upstream.getOutputStream();
                }
                if (!exchange(request, fault, client, in, out, upstream, upIn, upOut)) {
                    return;
                }
            }
        } catch (IOException e) {
            // a side closed or reset its connection: end this one
        } finally {
            closeQuietly(client);
            closeQuietly(upstream);
            sockets.remove(client);
            if (upstream != null) {
                sockets.remove(upstream);
            }
        }
    }

    /**
     * Forwards {@code request} (its head read) and relays the server's answer, applying
     * {@code fault}. Returns whether the connection carries on.
     */
    private static boolean exchange(Head request, Mode fault, Socket client, InputStream in, OutputStream out, Socket upstream,
            InputStream upIn, OutputStream upOut) throws IOException {
        boolean hasBody = request.chunked() || request.contentLength() > 0;
        if (fault == Mode.RESET_MID_REQUEST && !hasBody) {
            upOut.write(request.raw, 0, request.raw.length / 2);
            upOut.flush();
            reset(client, upstream);
            return false;
        }
        upOut.write(request.raw);
        upOut.flush();
        Head answer = null;
        if (hasBody) {
            if (request.expectsContinue()) {
                // the body follows only a 100 Continue; a final answer first means it never comes
                while (true) {
                    Head interim = Head.read(upIn);
                    if (interim == null) {
                        return false;
                    }
                    if (interim.status() == 100) {
                        out.write(interim.raw);
                        out.flush();
                        break;
                    }
                    if (interim.status() > 100 && interim.status() < 200) {
                        out.write(interim.raw);
                        out.flush();
                        continue;
                    }
                    answer = interim;
                    break;
                }
            }
            if (answer == null) {
                if (fault == Mode.RESET_MID_REQUEST) {
                    long half = request.chunked() ? PARTIAL_UNFRAMED : request.contentLength() / 2;
                    copyBody(in, upOut, request, half);
                    upOut.flush();
                    reset(client, upstream);
                    return false;
                }
                copyBody(in, upOut, request, Long.MAX_VALUE);
                upOut.flush();
            }
        }
        if (answer == null) {
            answer = Head.read(upIn);
            while (answer != null && answer.status() >= 100 && answer.status() < 200) {
                out.write(answer.raw);
                out.flush();
                answer = Head.read(upIn);
            }
            if (answer == null) {
                return false; // the server closed without answering: so does the proxy
            }
        }
        if (fault == Mode.RESET_BEFORE_RESPONSE || fault == Mode.RESET_MID_REQUEST) {
            reset(client, upstream);
            return false;
        }
        boolean bodyless = request.method().equals("HEAD") || answer.status() == 204 || answer.status() == 304;
        if (fault == Mode.TRUNCATE_RESPONSE) {
            long length = bodyless ? 0 : answer.chunked() ? -1 : answer.contentLength();
            if (length == 0 || length == 1) {
                out.write(answer.raw, 0, answer.raw.length / 2);
            } else {
                out.write(answer.raw);
                if (length > 1) {
                    copyBody(upIn, out, answer, length / 2);
                } else {
                    copyRaw(upIn, out, PARTIAL_UNFRAMED);
                }
            }
            out.flush();
            return false;
        }
        out.write(answer.raw);
        if (!bodyless) {
            if (answer.chunked() || answer.contentLength() >= 0) {
                copyBody(upIn, out, answer, Long.MAX_VALUE);
            } else {
                copyRaw(upIn, out, Long.MAX_VALUE); // delimited by the server's close
                out.flush();
                return false;
            }
        }
        out.flush();
        return !answer.closes() && !request.closes();
    }

    /**
     * Answers {@code request} with {@code 503 Slow Down} in the server's place. Returns whether the
     * connection carries on: after a request whose body was held back for {@code 100 Continue} it
     * does not (the answer says so, and the proxy reads whatever comes until the client closes).
     */
    private static boolean slowDown(Socket client, InputStream in, OutputStream out, Head request) throws IOException {
        boolean hasBody = request.chunked() || request.contentLength() > 0;
        boolean heldBack = hasBody && request.expectsContinue();
        if (hasBody && !heldBack) {
            copyBody(in, OutputStream.nullOutputStream(), request, Long.MAX_VALUE);
        }
        byte[] body = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>SlowDown</Code>"
                + "<Message>Please reduce your request rate.</Message><RequestId>FAULTPROXY</RequestId></Error>")
                .getBytes(StandardCharsets.UTF_8);
        boolean head = request.method().equals("HEAD");
        String answer = "HTTP/1.1 503 Slow Down\r\n"
                + "Content-Type: application/xml\r\n"
                + "Content-Length: " + (head ? 0 : body.length) + "\r\n"
                + "x-amz-request-id: FAULTPROXY\r\n"
                + (heldBack ? "Connection: close\r\n" : "")
                + "\r\n";
        out.write(answer.getBytes(StandardCharsets.US_ASCII));
        if (!head) {
            out.write(body);
        }
        out.flush();
        if (heldBack) {
            client.shutdownOutput();
            client.setSoTimeout(5000);
            drain(in);
            return false;
        }
        return !request.closes();
    }

    private void count(Head request) {
        String kind = request.method();
        if (kind.equals("GET")) {
            String target = request.target();
            int q = target.indexOf('?');
            if (q >= 0 && (target.indexOf("?list-type=", q) == q || target.indexOf("&list-type=", q) > 0)) {
                kind = "LIST";
            }
        }
        counts.computeIfAbsent(kind, k -> new AtomicLong()).incrementAndGet();
    }

    /** Copies the body framed by {@code head}, at most {@code limit} bytes of it (counting chunk framing). */
    private static void copyBody(InputStream in, OutputStream out, Head head, long limit) throws IOException {
        if (!head.chunked()) {
            long length = Math.max(0, head.contentLength());
            copyRaw(in, out, Math.min(length, limit), true);
            return;
        }
        long left = limit;
        while (true) {
            byte[] sizeLine = Head.line(in);
            left = write(out, sizeLine, left);
            if (left == 0) {
                return;
            }
            String size = new String(sizeLine, StandardCharsets.US_ASCII).trim();
            int ext = size.indexOf(';');
            long n = Long.parseLong(ext < 0 ? size : size.substring(0, ext).trim(), 16);
            if (n == 0) {
                while (true) { // trailers, then the empty line
                    byte[] trailer = Head.line(in);
                    left = write(out, trailer, left);
                    if (left == 0 || trailer.length == 2) {
                        return;
                    }
                }
            }
            long take = Math.min(n + 2, left); // the chunk's data and its CRLF
            copyRaw(in, out, take, true);
            left -= take;
            if (left == 0) {
                return;
            }
        }
    }

    private static long write(OutputStream out, byte[] bytes, long left) throws IOException {
        int n = (int) Math.min(bytes.length, left);
        out.write(bytes, 0, n);
        return left - n;
    }

    private static void copyRaw(InputStream in, OutputStream out, long limit) throws IOException {
        copyRaw(in, out, limit, false);
    }

    private static void copyRaw(InputStream in, OutputStream out, long limit, boolean exact) throws IOException {
        byte[] buf = new byte[16 * 1024];
        long left = limit;
        while (left > 0) {
            int n = in.read(buf, 0, (int) Math.min(buf.length, left));
            if (n < 0) {
                if (exact) {
                    throw new EOFException("the body ended " + left + " bytes early");
                }
                return;
            }
            out.write(buf, 0, n);
            left -= n;
        }
    }

    private static void drain(InputStream in) {
        byte[] buf = new byte[8192];
        try {
            while (in.read(buf) >= 0) {
                // discard
            }
        } catch (IOException e) {
            // closed, reset or timed out: done
        }
    }

    /** Closes both connections with a reset (SO_LINGER 0): the peers see "connection reset", not an orderly close. */
    private static void reset(Socket... sockets) {
        for (Socket s : sockets) {
            try {
                s.setSoLinger(true, 0);
            } catch (IOException e) {
                // already closed
            }
            closeQuietly(s);
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception e) {
            // closing what is broken
        }
    }

    /** A request's or an answer's head: its bytes as read (start line, headers, empty line) and what framing needs. */
    private static final class Head {
        final byte[] raw;
        final String startLine;
        final List<String[]> headers = new ArrayList<>();

        private Head(byte[] raw) {
            this.raw = raw;
            String[] lines = new String(raw, StandardCharsets.ISO_8859_1).split("\r\n");
            this.startLine = lines[0];
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                if (colon > 0) {
                    headers.add(new String[] {lines[i].substring(0, colon).trim(), lines[i].substring(colon + 1).trim()});
                }
            }
        }

        /** The next head on {@code in}, or null when it ends before one starts. */
        static Head read(InputStream in) throws IOException {
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            int matched = 0; // how many bytes of CR LF CR LF end what was read
            while (true) {
                int b = in.read();
                if (b < 0) {
                    if (buf.size() == 0) {
                        return null;
                    }
                    throw new EOFException("the connection ended inside a head");
                }
                if (buf.size() == 0 && (b == '\r' || b == '\n')) {
                    continue; // stray line ends between messages
                }
                buf.write(b);
                if (b == (matched % 2 == 0 ? '\r' : '\n')) {
                    matched++;
                } else {
                    matched = b == '\r' ? 1 : 0;
                }
                if (matched == 4) {
                    return new Head(buf.toByteArray());
                }
                if (buf.size() > MAX_HEAD) {
                    throw new IOException("a head longer than " + MAX_HEAD + " bytes");
                }
            }
        }

        /** One line with its CRLF. */
        static byte[] line(InputStream in) throws IOException {
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            int prev = -1;
            while (true) {
                int b = in.read();
                if (b < 0) {
                    throw new EOFException("the connection ended inside a chunked body");
                }
                buf.write(b);
                if (prev == '\r' && b == '\n') {
                    return buf.toByteArray();
                }
                if (buf.size() > MAX_HEAD) {
                    throw new IOException("a chunk line longer than " + MAX_HEAD + " bytes");
                }
                prev = b;
            }
        }

        String method() {
            int sp = startLine.indexOf(' ');
            return (sp < 0 ? startLine : startLine.substring(0, sp)).toUpperCase(Locale.ROOT);
        }

        String target() {
            String[] parts = startLine.split(" ");
            return parts.length > 1 ? parts[1] : "";
        }

        /** An answer's status code. */
        int status() {
            String[] parts = startLine.split(" ");
            try {
                return parts.length > 1 ? Integer.parseInt(parts[1]) : -1;
            } catch (NumberFormatException e) {
                return -1;
            }
        }

        String header(String name) {
            for (String[] h : headers) {
                if (h[0].equalsIgnoreCase(name)) {
                    return h[1];
                }
            }
            return null;
        }

        boolean chunked() {
            String te = header("Transfer-Encoding");
            return te != null && te.toLowerCase(Locale.ROOT).contains("chunked");
        }

        /** The Content-Length, or -1 when there is none. */
        long contentLength() {
            String cl = header("Content-Length");
            return cl == null ? -1 : Long.parseLong(cl.trim());
        }

        boolean expectsContinue() {
            String e = header("Expect");
            return e != null && e.equalsIgnoreCase("100-continue");
        }

        boolean closes() {
            String c = header("Connection");
            return (c != null && c.toLowerCase(Locale.ROOT).contains("close")) || startLine.startsWith("HTTP/1.0")
                    || startLine.endsWith("HTTP/1.0");
        }
    }
}

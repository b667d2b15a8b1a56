package io.chronolog.engine.internal.archive;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chronolog.engine.ArchiveException;
import io.chronolog.engine.internal.archive.FaultProxy.Mode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The S3 store behind a faulty network (a {@link FaultProxy} in front of a real S3 server): every
 * operation ends within the call's limit with one line naming the store, the key and what
 * happened; no read returns a body cut short; a create cut by a reset leaves the whole object or
 * none; a few failed requests are ridden out by the retries; once the fault clears the same store
 * works again. Request counts through the proxy are exact.
 */
class S3FaultTest {
    /** Short limits, so that the faults cost seconds: a call ends within 2.5 s. */
    static final S3ObjectStore.Limits LIMITS = new S3ObjectStore.Limits(Duration.ofSeconds(1), Duration.ofSeconds(1),
            Duration.ofMillis(1500), Duration.ofMillis(2500), 3, Duration.ofMillis(10));
    /** The call's limit and some slack for the timer and the threads. */
    static final Duration BOUND = LIMITS.callTimeout().plusSeconds(1);

    @TempDir
    static Path tmp;
    static S3Server server;
    static FaultProxy proxy;
    static final AtomicInteger buckets = new AtomicInteger();

    @BeforeAll
    static void start() throws Exception {
        server = S3Server.start(Files.createDirectories(tmp.resolve("s3")));
        proxy = FaultProxy.start(server.endpoint());
    }

    @AfterAll
    static void stop() throws Exception {
        proxy.close();
        server.close();
    }

    @BeforeEach
    void pass() {
        proxy.mode(Mode.PASS);
        proxy.resetCounts();
    }

    /** Two stores on one fresh bucket: through the proxy, and straight to the server (to see what it really holds). */
    record Stores(S3ObjectStore faulty, S3ObjectStore direct) implements AutoCloseable {
        @Override
        public void close() {
            faulty.close();
            direct.close();
        }
    }

    static Stores stores() {
        String bucket = "faults-" + buckets.incrementAndGet();
        server.createBucket(bucket);
        ArchiveUrl url = ArchiveUrl.parse("s3://" + bucket + "/db");
        S3ObjectStore.Settings direct = server.settings();
        return new Stores(new S3ObjectStore(url, settingsThroughProxy()), new S3ObjectStore(url, direct));
    }

    static S3ObjectStore.Settings settingsThroughProxy() {
        return new S3ObjectStore.Settings(proxy.endpoint(), "us-east-1", true, server.settings().credentials(), LIMITS);
    }

    static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** Runs {@code op}, which must fail within {@link #BOUND} with one line naming the store, {@code key} and {@code why}. */
    static ArchiveException failsSaying(String what, S3ObjectStore store, String key, String why, Runnable op) {
        long start = System.nanoTime();
        ArchiveException e = assertThrows(ArchiveException.class, op::run, what + " must fail");
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        String m = e.getMessage();
        assertTrue(took.compareTo(BOUND) < 0, what + " took " + took.toMillis() + " ms, over the bound: " + m);
        assertFalse(m.contains("\n") || m.contains("\r"), what + ": one line: " + m);
        assertTrue(m.contains(store.describe()), what + " names the store: " + m);
        if (key != null) {
            assertTrue(m.contains("(key db/" + key + ")"), what + " names the key: " + m);
        }
        assertTrue(m.contains(why), what + " says " + why + ": " + m);
        assertFalse(m.contains("SDK Attempt Count"), what + ": the attempts are said once: " + m);
        assertFalse(Thread.currentThread().isInterrupted(), what + ": a call that timed out leaves its thread uninterrupted");
        return e;
    }

    static Duration timed(Runnable op) {
        long start = System.nanoTime();
        op.run();
        return Duration.ofNanos(System.nanoTime() - start);
    }

    /** What the message says for each fault (a read cut short says more, see {@link #aReadCutShortNeverReturnsShortBytes}). */
    static String why(Mode mode) {
        return switch (mode) {
            case DOWN_CLOSE, TRUNCATE_RESPONSE -> "the connection to the store failed (";
            case DOWN_REFUSE -> "the store cannot be reached (Connection refused) (3 attempts)";
            case HTTP_503 -> "the store answered 503 SlowDown";
            case STALL -> "timed out after 2.5 s (the limit of one call)";
            // a reset while the client still writes its body reads "Error writing request body to server"
            case RESET_MID_REQUEST -> "the connection to the store failed (";
            case RESET_BEFORE_RESPONSE -> "the connection to the store failed (Connection reset) (3 attempts)";
            default -> throw new IllegalArgumentException(mode.toString());
        };
    }

    @ParameterizedTest
    @EnumSource(value = Mode.class, names = {"DOWN_CLOSE", "DOWN_REFUSE", "HTTP_503", "STALL", "RESET_MID_REQUEST",
            "RESET_BEFORE_RESPONSE", "TRUNCATE_RESPONSE"})
    void everyOperationFailsWithinTheLimitSayingWhyAndWorksAgainOnceTheFaultClears(Mode mode) {
        try (Stores s = stores()) {
            S3ObjectStore store = s.faulty();
            byte[] present = random(64 << 10, 1);
            byte[] fresh = random(32 << 10, 2);
            assertTrue(store.createIfAbsent("segments/present", present));
            assertEquals(List.of("segments/present"), store.list("")); // the client keeps its connections for the next requests

            proxy.mode(mode);
            failsSaying("checkAccess", store, null, why(mode), store::checkAccess);
            if (mode == Mode.TRUNCATE_RESPONSE) {
                // the answer to a PUT has no body; the client takes a head cut after its status line
                // as whole, and the server has the object: the create is done, and says so
                assertTrue(store.createIfAbsent("segments/fresh", fresh));
                assertArrayEquals(fresh, s.direct().get("segments/fresh").orElseThrow());
            } else {
                failsSaying("create", store, "segments/fresh", why(mode), () -> store.createIfAbsent("segments/fresh", fresh));
            }
            failsSaying("get", store, "segments/present",
                    mode == Mode.TRUNCATE_RESPONSE ? "the store's answer was cut short" : why(mode), () -> store.get("segments/present"));
            failsSaying("list", store, "", why(mode), () -> store.list(""));

            proxy.mode(Mode.PASS);
            store.checkAccess();
            assertTrue(store.createIfAbsent("segments/fresh", fresh), "the create succeeds, or finds its own object there");
            assertArrayEquals(present, store.get("segments/present").orElseThrow());
            assertArrayEquals(fresh, store.get("segments/fresh").orElseThrow());
            assertEquals(List.of("segments/fresh", "segments/present"), store.list("segments/"));
            assertArrayEquals(fresh, s.direct().get("segments/fresh").orElseThrow(), "the server holds the whole object");
        }
    }

    /** A body cut short fails its attempt (and the next is made), never returning short bytes; so does a listing cut short. */
    @Test
    void aReadCutShortNeverReturnsShortBytes() {
        try (Stores s = stores()) {
            S3ObjectStore store = s.faulty();
            byte[] big = random(1 << 20, 3);
            assertTrue(store.createIfAbsent("segments/big", big));

            proxy.mode(Mode.TRUNCATE_RESPONSE);
            proxy.resetCounts();
            failsSaying("get", store, "segments/big",
                    "the store's answer was cut short (the answer ended after 524288 of its 1048576 bytes) (3 attempts)",
                    () -> store.get("segments/big"));
            assertEquals(Map.of("GET", 3L), proxy.requestCounts(), "each attempt read half the body, and no more attempts");
            proxy.resetCounts();
            failsSaying("list", store, "", "the connection to the store failed (Premature EOF) (3 attempts)", () -> store.list(""));
            assertEquals(Map.of("LIST", 3L), proxy.requestCounts(), "a listing cut short is tried again too");

            proxy.failNext(2, Mode.TRUNCATE_RESPONSE);
            proxy.resetCounts();
            assertArrayEquals(big, store.get("segments/big").orElseThrow(), "the third attempt reads it whole");
            assertEquals(Map.of("GET", 3L), proxy.requestCounts());
        }
    }

    /**
     * Why the store checks a body's length itself: through the URL-connection client the SDK hands
     * over a body that ended early, at a closed connection, as if it were whole (no checksum comes
     * back from this server to catch it either).
     */
    @Test
    void theSdkAloneTakesABodyCutShortForAWholeOne() {
        server.createBucket("sdk-alone");
        byte[] body = random(100_000, 4);
        try (S3Client client = S3Client.builder().endpointOverride(proxy.endpoint()).region(Region.US_EAST_1).forcePathStyle(true)
                .credentialsProvider(server.settings().credentials()).httpClientBuilder(UrlConnectionHttpClient.builder()).build()) {
            client.putObject(b -> b.bucket("sdk-alone").key("k"), RequestBody.fromBytes(body));
            proxy.mode(Mode.TRUNCATE_RESPONSE);
            byte[] got = client.getObjectAsBytes(b -> b.bucket("sdk-alone").key("k")).asByteArray();
            assertEquals(body.length / 2, got.length,
                    "the SDK returned a body cut in half as whole; if it now fails instead, S3ObjectStore.wholeBody is a second check");
        }
    }

    /**
     * A reset in the middle of a create's request leaves nothing (the server never had the whole
     * body); a reset just before its answer leaves the whole object (the server had it all). Either
     * way, a later create of the same body succeeds, and a create whose first attempt was reset
     * succeeds on its retry.
     */
    @ParameterizedTest
    @EnumSource(value = Mode.class, names = {"RESET_MID_REQUEST", "RESET_BEFORE_RESPONSE"})
    void aCreateCutByAResetLeavesTheWholeObjectOrNone(Mode mode) {
        try (Stores s = stores()) {
            S3ObjectStore store = s.faulty();
            byte[] body = random(256 << 10, 5);

            proxy.mode(mode);
            failsSaying("create", store, "segments/one", why(mode), () -> store.createIfAbsent("segments/one", body));
            Optional<byte[]> there = s.direct().get("segments/one");
            if (mode == Mode.RESET_MID_REQUEST) {
                assertEquals(Optional.empty(), there, "no part of a body is an object");
            } else {
                assertArrayEquals(body, there.orElseThrow(), "the server stored the whole body");
            }
            assertEquals(mode == Mode.RESET_MID_REQUEST ? List.of() : List.of("segments/one"), s.direct().list(""),
                    "nothing else was left behind");

            proxy.mode(Mode.PASS);
            assertTrue(store.createIfAbsent("segments/one", body));
            assertArrayEquals(body, s.direct().get("segments/one").orElseThrow());

            proxy.failNext(1, mode);
            proxy.resetCounts();
            assertTrue(store.createIfAbsent("segments/two", body), "the retry stores it, or finds it stored");
            assertArrayEquals(body, s.direct().get("segments/two").orElseThrow());
            assertEquals(mode == Mode.RESET_MID_REQUEST ? Map.of("PUT", 2L) : Map.of("PUT", 2L, "GET", 1L), proxy.requestCounts(),
                    "a retried create that meets its own object (412) reads it once to compare");
        }
    }

    @Test
    void aFewFailedRequestsAreRiddenOutByTheRetriesAndNoMoreAttemptsAreMade() {
        try (Stores s = stores()) {
            S3ObjectStore store = s.faulty();
            byte[] body = random(10_000, 6);
            int key = 0;
            for (Mode fault : new Mode[] {Mode.HTTP_503, Mode.RESET_MID_REQUEST, Mode.DOWN_CLOSE, Mode.STALL}) {
                proxy.failNext(fault == Mode.STALL ? 1 : 2, fault);
                proxy.resetCounts();
                String k = "segments/" + key++;
                Duration took = timed(() -> assertTrue(store.createIfAbsent(k, body), fault + " ridden out")); // 1 s per stall
                assertTrue(took.compareTo(BOUND) < 0, fault + " took " + took.toMillis() + " ms");
                assertEquals(Map.of("PUT", fault == Mode.STALL ? 2L : 3L), proxy.requestCounts(), fault.toString());
                assertArrayEquals(body, s.direct().get(k).orElseThrow());
            }

            proxy.failNext(3, Mode.HTTP_503);
            proxy.resetCounts();
            failsSaying("create", store, "segments/last", "the store answered 503 SlowDown (3 attempts)",
                    () -> store.createIfAbsent("segments/last", body));
            assertEquals(Map.of("PUT", 3L), proxy.requestCounts(), "3 attempts, no 4th");
            assertEquals(Optional.empty(), s.direct().get("segments/last"));
            assertTrue(store.createIfAbsent("segments/last", body));
        }
    }

    @Test
    void requestsAreCountedExactlyByMethod() {
        try (Stores s = stores()) {
            S3ObjectStore store = s.faulty();
            proxy.resetCounts();
            for (int i = 0; i < 3; i++) {
                assertTrue(store.createIfAbsent("segments/" + i, random(1000 * i, i)));
            }
            store.get("segments/0");
            store.get("segments/2");
            assertEquals(List.of("segments/0", "segments/1", "segments/2"), store.list(""));
            assertEquals(Map.of("PUT", 3L, "GET", 2L, "LIST", 1L), proxy.requestCounts());
            assertEquals(6, proxy.requests());

            store.delete("segments/1");
            store.checkAccess(); // HEAD bucket, then a LIST of at most one key
            assertEquals(Map.of("PUT", 3L, "GET", 2L, "LIST", 2L, "DELETE", 1L, "HEAD", 1L), proxy.requestCounts());
            assertTrue(proxy.connections() < proxy.requests(),
                    "kept-alive connections carry several requests through the proxy: " + proxy.connections() + " connections");
        }
    }

    @Test
    void latencyUnderTheLimitsOnlySlowsAndOverThemTimesOut() {
        try (Stores s = stores()) {
            S3ObjectStore store = s.faulty();
            byte[] body = random(5000, 7);
            assertTrue(store.createIfAbsent("segments/0", body));

            proxy.latency(Duration.ofMillis(300));
            Duration took = timed(() -> assertArrayEquals(body, store.get("segments/0").orElseThrow()));
            assertTrue(took.toMillis() >= 300, took.toMillis() + " ms");

            proxy.latency(Duration.ofSeconds(5));
            failsSaying("get", store, "segments/0", "timed out after 2.5 s (the limit of one call)", () -> store.get("segments/0"));
        }
    }

    @Test
    void settingsKeepTheirLimitsInOrder() {
        S3ObjectStore.Settings plain = new S3ObjectStore.Settings(null, "eu-west-1", false, null);
        assertEquals(S3ObjectStore.Limits.DEFAULT, plain.limits());
        assertEquals(LIMITS, plain.withLimits(LIMITS).limits());
        Duration second = Duration.ofSeconds(1);
        Duration ms = Duration.ofMillis(10);
        assertThrows(IllegalArgumentException.class, () -> new S3ObjectStore.Limits(second, second, Duration.ofSeconds(2), second, 3, ms),
                "an attempt longer than the call");
        assertThrows(IllegalArgumentException.class, () -> new S3ObjectStore.Limits(second, Duration.ofSeconds(3), Duration.ofSeconds(2),
                Duration.ofSeconds(5), 3, ms), "a read timeout longer than the attempt");
        assertThrows(IllegalArgumentException.class, () -> new S3ObjectStore.Limits(second, second, second, second, 0, ms), "no attempt");
        assertThrows(IllegalArgumentException.class, () -> new S3ObjectStore.Limits(second, second, second, second, 1, Duration.ZERO),
                "no backoff");
        assertThrows(NullPointerException.class, () -> new S3ObjectStore.Settings(null, "eu-west-1", false, null, null));
    }
}

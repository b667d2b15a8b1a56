package io.chronolog.engine.internal.archive;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chronolog.engine.ArchiveException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The object store's contract, against a real S3 server (s3proxy on 127.0.0.1) and a directory:
 * write-once creates (20 racing creates of one key: exactly one wins, and the object is the
 * winner's), reads, listing by prefix, deletes, and one-line errors for an unknown bucket, wrong
 * credentials and a missing directory.
 */
class ObjectStoreTest {
    @TempDir
    static Path tmp;
    static S3Server server;

    @BeforeAll
    static void start() throws Exception {
        server = S3Server.start(Files.createDirectories(tmp.resolve("s3")));
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    static Stream<String> kinds() {
        return Stream.of("s3", "file");
    }

    /** A fresh, empty store of {@code kind}. */
    static ObjectStore fresh(String kind) throws Exception {
        return server.fresh(kind, "db/one", tmp);
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void racingCreatesOfOneKeyHaveExactlyOneWinner(String kind) throws Exception {
        try (ObjectStore store = fresh(kind)) {
            store.checkAccess();
            int writers = 20;
            ExecutorService pool = Executors.newFixedThreadPool(writers);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < writers; i++) {
                byte[] body = ("writer " + i).getBytes(StandardCharsets.UTF_8);
                results.add(pool.submit(() -> {
                    go.await();
                    return store.createIfAbsent("head/lease", body);
                }));
            }
            go.countDown();
            int won = -1;
            int wins = 0;
            for (int i = 0; i < writers; i++) {
                if (results.get(i).get()) {
                    wins++;
                    won = i;
                }
            }
            pool.shutdown();
            assertEquals(1, wins, "exactly one create wins");
            assertEquals("writer " + won, new String(store.get("head/lease").orElseThrow(), StandardCharsets.UTF_8),
                    "the stored object is the winner's");
            assertFalse(store.createIfAbsent("head/lease", new byte[] {1}), "a later create never replaces");
            assertTrue(store.createIfAbsent("head/lease", ("writer " + won).getBytes(StandardCharsets.UTF_8)),
                    "a retried create finds its own bytes and counts as stored");
        }
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void readsListsAndDeletes(String kind) throws Exception {
        try (ObjectStore store = fresh(kind)) {
            assertEquals(Optional.empty(), store.get("segments/0001"));
            byte[] big = new byte[3 << 20];
            new java.util.Random(7).nextBytes(big);
            assertTrue(store.createIfAbsent("segments/0002", big));
            assertTrue(store.createIfAbsent("segments/0001", new byte[0]));
            assertTrue(store.createIfAbsent("checkpoints/0001", new byte[] {9}));
            assertArrayEquals(big, store.get("segments/0002").orElseThrow());
            assertArrayEquals(new byte[0], store.get("segments/0001").orElseThrow());
            assertEquals(List.of("segments/0001", "segments/0002"), store.list("segments/"));
            assertEquals(List.of("checkpoints/0001", "segments/0001", "segments/0002"), store.list(""));
            store.delete("segments/0001");
            store.delete("segments/0001"); // deleting what is gone is no error
            assertEquals(List.of("segments/0002"), store.list("segments/"));
        }
    }

    /**
     * The SDK retries a PUT whose connection failed after the server stored the object (seen here
     * under load: 412 on the second attempt of a create of a fresh key); such a create must count
     * as stored, never as another writer's.
     */
    @ParameterizedTest
    @MethodSource("kinds")
    void everyCreateOfAFreshKeySucceedsEvenWhenItsRequestIsRetried(String kind) throws Exception {
        try (ObjectStore store = fresh(kind)) {
            java.util.Random random = new java.util.Random(5);
            for (int i = 0; i < 60; i++) {
                byte[] body = new byte[i % 2 == 0 ? 1 << 20 : 0];
                random.nextBytes(body);
                assertTrue(store.createIfAbsent("segments/" + i, body), "create " + i);
                assertArrayEquals(body, store.get("segments/" + i).orElseThrow(), "object " + i);
            }
        }
    }

    @Test
    void anUnknownBucketFailsAtTheAccessCheckNamingIt() {
        try (ObjectStore store = new S3ObjectStore(ArchiveUrl.parse("s3://no-such-bucket/x"), server.settings())) {
            ArchiveException e = assertThrows(ArchiveException.class, store::checkAccess);
            assertTrue(e.getMessage().contains("bucket no-such-bucket does not exist"), e.getMessage());
            assertFalse(e.getMessage().contains("\n"), e.getMessage());
        }
    }

    @Test
    void wrongCredentialsFailAtTheAccessCheckSayingSo() {
        server.createBucket("creds");
        try (ObjectStore store = new S3ObjectStore(ArchiveUrl.parse("s3://creds/x"), server.settings("chronolog-test", "wrong"))) {
            ArchiveException e = assertThrows(ArchiveException.class, store::checkAccess);
            assertTrue(e.getMessage().contains("refused the credentials"), e.getMessage());
            assertFalse(e.getMessage().contains("\n"), e.getMessage());
        }
    }

    @Test
    void anUnreachableStoreFailsSayingSo() {
        var settings = new S3ObjectStore.Settings(java.net.URI.create("http://127.0.0.1:1"), "us-east-1", true,
                server.settings().credentials());
        try (ObjectStore store = new S3ObjectStore(ArchiveUrl.parse("s3://creds/x"), settings)) {
            ArchiveException e = assertThrows(ArchiveException.class, store::checkAccess);
            assertTrue(e.getMessage().contains("cannot be reached"), e.getMessage());
        }
    }

    @Test
    void aMissingDirectoryFailsAtTheAccessCheck() {
        Path missing = tmp.resolve("not-there");
        try (ObjectStore store = new FileObjectStore(ArchiveUrl.parse(missing.toUri().toString()))) {
            ArchiveException e = assertThrows(ArchiveException.class, store::checkAccess);
            assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
        }
    }
}

package io.chronolog.engine.internal.archive;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts the requests made of a store, per kind, in metrics ({@code chronolog.archive.requests},
 * tag {@code kind}: create, get, list, delete, check) and in plain counters: how an idle database's
 * silence is proven. Thread-safe.
 */
public final class CountingObjectStore implements ObjectStore {
    /** What a request asked. */
    public enum Kind { CREATE, GET, LIST, DELETE, CHECK }

    private final ObjectStore inner;
    private final Map<Kind, AtomicLong> counts = new EnumMap<>(Kind.class);
    private final Map<Kind, Counter> meters = new EnumMap<>(Kind.class);

    public CountingObjectStore(ObjectStore inner, MeterRegistry registry, String database) {
        this.inner = inner;
        for (Kind k : Kind.values()) {
            counts.put(k, new AtomicLong());
            if (registry != null) {
                meters.put(k, Counter.builder("chronolog.archive.requests").tag("database", database)
                        .tag("kind", k.name().toLowerCase(java.util.Locale.ROOT)).register(registry));
            }
        }
    }

    /** Requests of {@code kind} so far. */
    public long count(Kind kind) {
        return counts.get(kind).get();
    }

    /** All requests so far. */
    public long total() {
        return counts.values().stream().mapToLong(AtomicLong::get).sum();
    }

    private void count(Kind kind, int n) {
        counts.get(kind).addAndGet(n);
        Counter c = meters.get(kind);
        if (c != null) {
            c.increment(n);
        }
    }

    @Override
    public void checkAccess() {
        count(Kind.CHECK, 1);
        inner.checkAccess();
    }

    @Override
    public boolean createIfAbsent(String key, byte[] body) {
        count(Kind.CREATE, 1);
        return inner.createIfAbsent(key, body);
    }

    @Override
    public Optional<byte[]> get(String key) {
        count(Kind.GET, 1);
        return inner.get(key);
    }

    @Override
    public Optional<byte[]> getLarge(String key) {
        count(Kind.GET, 1);
        return inner.getLarge(key);
    }

    @Override
    public List<String> list(String prefix) {
        count(Kind.LIST, 1);
        return inner.list(prefix);
    }

    @Override
    public List<Listed> listSized(String prefix) {
        count(Kind.LIST, 1);
        return inner.listSized(prefix);
    }

    @Override
    public void delete(String key) {
        count(Kind.DELETE, 1);
        inner.delete(key);
    }

    @Override
    public String describe() {
        return inner.describe();
    }

    @Override
    public void close() {
        inner.close();
    }
}

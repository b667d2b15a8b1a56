package io.chronolog.engine.internal.archive;

import io.chronolog.engine.ArchiveException;
import java.util.List;
import java.util.Optional;

/**
 * The store of an archive that cannot even be set up (a key file that is missing or readable by
 * others, a malformed endpoint): every request fails with the reason, so the database opens and
 * writes as usual while its archive status names the problem. Immutable.
 */
public final class UnavailableStore implements ObjectStore {
    private final String url;
    private final String reason;

    public UnavailableStore(String url, String reason) {
        this.url = url;
        this.reason = reason;
    }

    private ArchiveException failure() {
        return new ArchiveException("the archive " + url + " cannot be used: " + reason);
    }

    @Override
    public void checkAccess() {
        throw failure();
    }

    @Override
    public boolean createIfAbsent(String key, byte[] body) {
        throw failure();
    }

    @Override
    public Optional<byte[]> get(String key) {
        throw failure();
    }

    @Override
    public List<Listed> listSized(String prefix) {
        throw failure();
    }

    @Override
    public List<String> list(String prefix) {
        throw failure();
    }

    @Override
    public void delete(String key) {
        throw failure();
    }

    @Override
    public String describe() {
        return url;
    }

    @Override
    public void close() {
    }
}

package io.chronolog.engine.internal.archive;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One database's part of an archive: the objects under {@code NAME/}, as an {@link ObjectStore}
 * whose keys are relative to it. Closing it does not close the archive's store.
 */
public final class DatabaseObjects implements ObjectStore {
    private final ObjectStore archive;
    private final String name;
    private final String prefix;

    public DatabaseObjects(ObjectStore archive, String name) {
        this.archive = archive;
        this.name = name;
        this.prefix = name + "/";
    }

    public String name() {
        return name;
    }

    @Override
    public void checkAccess() {
        archive.checkAccess();
    }

    @Override
    public boolean createIfAbsent(String key, byte[] body) {
        return archive.createIfAbsent(prefix + key, body);
    }

    @Override
    public Optional<byte[]> get(String key) {
        return archive.get(prefix + key);
    }

    @Override
    public Optional<byte[]> getLarge(String key) {
        return archive.getLarge(prefix + key);
    }

    @Override
    public List<String> list(String keyPrefix) {
        List<String> out = new ArrayList<>();
        for (String k : archive.list(prefix + keyPrefix)) {
            out.add(k.substring(prefix.length()));
        }
        return out;
    }

    @Override
    public List<Listed> listSized(String keyPrefix) {
        List<Listed> out = new ArrayList<>();
        for (Listed l : archive.listSized(prefix + keyPrefix)) {
            out.add(new Listed(l.key().substring(prefix.length()), l.size()));
        }
        return out;
    }

    @Override
    public void delete(String key) {
        archive.delete(prefix + key);
    }

    @Override
    public String describe() {
        return archive.describe() + " (database " + name + ")";
    }

    @Override
    public void close() {
    }
}

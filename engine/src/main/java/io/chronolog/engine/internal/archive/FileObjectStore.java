package io.chronolog.engine.internal.archive;

import io.chronolog.engine.ArchiveException;
import io.chronolog.engine.internal.directory.PrivateFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * An {@link ObjectStore} in a directory ({@code file:///PATH}: a mounted disk, NFS). An object is a
 * file named by its key ({@code /} makes subdirectories). A create writes a private temp file
 * beside the target, forces it, and hard-links it to the key's name, which fails when the name
 * exists: the same write-once rule as S3's conditional create, and a crash leaves either no object
 * or a whole one (temp files, {@code .tmp-*}, are never listed). Files are {@code 0600},
 * directories {@code 0700}. Thread-safe.
 */
public final class FileObjectStore implements ObjectStore {
    private static final String TEMP_PREFIX = ".tmp-";

    private final ArchiveUrl url;
    private final Path root;

    public FileObjectStore(ArchiveUrl url) {
        if (!"file".equals(url.scheme())) {
            throw new IllegalArgumentException("not a file URL: " + url);
        }
        this.url = url;
        this.root = url.path();
    }

    @Override
    public void checkAccess() {
        if (!Files.isDirectory(root)) {
            throw new ArchiveException("cannot use the archive " + url + ": " + root + " is not a directory"
                    + (Files.exists(root) ? "" : " (it does not exist: create it, or give another path)"));
        }
        if (!Files.isWritable(root) || !Files.isReadable(root)) {
            throw new ArchiveException("cannot use the archive " + url + ": " + root + " is not readable and writable by this user");
        }
    }

    @Override
    public boolean createIfAbsent(String key, byte[] body) {
        Path target = pathOf(key);
        Path temp = null;
        try {
            Files.createDirectories(target.getParent(), PrivateFiles.DIRECTORY_ATTRIBUTE);
            if (Files.exists(target)) {
                return sameAs(target, body);
            }
            temp = target.resolveSibling(TEMP_PREFIX + UUID.randomUUID());
            try (FileChannel ch = FileChannel.open(temp, java.util.Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                    PrivateFiles.FILE_ATTRIBUTE)) {
                ByteBuffer b = ByteBuffer.wrap(body);
                while (b.hasRemaining()) {
                    ch.write(b);
                }
                ch.force(true);
            }
            try {
                Files.createLink(target, temp);
            } catch (FileAlreadyExistsException e) {
                return sameAs(target, body);
            }
            forceDirectory(target.getParent());
            return true;
        } catch (IOException e) {
            throw new ArchiveException("cannot store " + url + " (key " + key + "): " + e, e);
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // a leftover temp file is never listed and holds nothing anyone reads
                }
            }
        }
    }

    @Override
    public Optional<byte[]> get(String key) {
        try {
            return Optional.of(Files.readAllBytes(pathOf(key)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new ArchiveException("cannot read " + url + " (key " + key + "): " + e, e);
        }
    }

    @Override
    public List<String> list(String prefix) {
        List<String> out = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return out;
        }
        try (Stream<Path> files = Files.walk(root)) {
            files.filter(Files::isRegularFile)
                    .filter(p -> !p.getFileName().toString().startsWith(TEMP_PREFIX))
                    .map(p -> root.relativize(p).toString().replace(java.io.File.separatorChar, '/'))
                    .filter(k -> k.startsWith(prefix))
                    .forEach(out::add);
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new ArchiveException("cannot list " + url + " (prefix " + prefix + "): " + e, e);
        }
        out.sort(null);
        return out;
    }

    @Override
    public List<Listed> listSized(String prefix) {
        List<Listed> out = new ArrayList<>();
        for (String key : list(prefix)) {
            try {
                out.add(new Listed(key, Files.size(pathOf(key))));
            } catch (java.nio.file.NoSuchFileException e) {
                // deleted since the listing
            } catch (IOException e) {
                throw new ArchiveException("cannot list " + url + " (prefix " + prefix + "): " + e, e);
            }
        }
        return out;
    }

    @Override
    public void delete(String key) {
        try {
            Files.deleteIfExists(pathOf(key));
        } catch (IOException e) {
            throw new ArchiveException("cannot delete " + url + " (key " + key + "): " + e, e);
        }
    }

    @Override
    public String describe() {
        return url.toString();
    }

    @Override
    public void close() {
        // nothing held open
    }

    private static boolean sameAs(Path target, byte[] body) throws IOException {
        return java.util.Arrays.equals(Files.readAllBytes(target), body);
    }

    /** The file of {@code key}; a key that would leave the directory is refused. */
    private Path pathOf(String key) {
        if (key.isEmpty() || key.startsWith("/") || key.contains("\\") || key.contains("//")
                || key.startsWith(TEMP_PREFIX) || key.contains("/" + TEMP_PREFIX)) {
            throw new IllegalArgumentException("invalid archive key '" + key + "'");
        }
        Path p = root.resolve(key).normalize();
        if (!p.startsWith(root) || p.equals(root)) {
            throw new IllegalArgumentException("archive key '" + key + "' leaves " + root);
        }
        return p;
    }

    private static void forceDirectory(Path dir) throws IOException {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        }
    }
}

package io.chronolog.engine.internal.archive;

import io.chronolog.engine.ArchiveOptions;
import io.chronolog.engine.ChronologException;
import io.chronolog.engine.internal.directory.DatabaseDirectory;
import io.chronolog.engine.internal.directory.PrivateFiles;
import java.io.IOException;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.zip.CRC32C;

/**
 * The archive a database ships to, kept in its directory ({@code archive.settings}, docs/FORMAT.md
 * "Archive settings file"): text lines {@code key=value} after a first line naming the format and
 * its version, ending with the CRC-32C of the lines before it. It holds where the archive is and how
 * it ships, and the archive's id; never a credential or a key (the key file's path or the
 * variable's name only). Written through a temp file, forced, renamed, directory forced; private
 * to the owner. The one owner of this format.
 *
 * @param options   where and how to ship
 * @param archiveId the archive's id (its manifest's), 16 bytes
 */
public record ArchiveSettingsFile(ArchiveOptions options, byte[] archiveId) {
    static final String HEADER = "chronolog-archive-settings 1";

    public ArchiveSettingsFile {
        archiveId = archiveId.clone();
    }

    @Override
    public byte[] archiveId() {
        return archiveId.clone();
    }

    public static Path fileIn(Path dir) {
        return dir.resolve(DatabaseDirectory.ARCHIVE_SETTINGS);
    }

    /** The settings in {@code dir}, empty when no archive is enabled. */
    public static Optional<ArchiveSettingsFile> read(Path dir) {
        Path file = fileIn(dir);
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty();
        }
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ChronologException("cannot read " + file + ": " + e.getMessage(), e);
        }
        return Optional.of(parse(text, file));
    }

    static ArchiveSettingsFile parse(String text, Path file) {
        int last = text.lastIndexOf("crc32c=");
        if (!text.startsWith(HEADER + "\n") || last < 0) {
            throw damaged(file, "it does not start with '" + HEADER + "' or has no checksum line");
        }
        CRC32C crc = new CRC32C();
        crc.update(text.substring(0, last).getBytes(StandardCharsets.UTF_8));
        String stored = text.substring(last + "crc32c=".length()).strip();
        if (!stored.equals(String.format("%08x", crc.getValue()))) {
            throw damaged(file, "its checksum does not match");
        }
        Map<String, String> v = new LinkedHashMap<>();
        for (String line : text.substring(HEADER.length() + 1, last).split("\n")) {
            if (line.isEmpty()) {
                continue;
            }
            int eq = line.indexOf('=');
            if (eq < 1) {
                throw damaged(file, "line '" + line + "' is not key=value");
            }
            v.put(line.substring(0, eq), line.substring(eq + 1));
        }
        try {
            ArchiveOptions.Builder b = ArchiveOptions.builder(required(v, "url", file));
            opt(v, "endpoint").ifPresent(s -> b.endpoint(URI.create(s)));
            opt(v, "region").ifPresent(b::region);
            b.pathStyle(Boolean.parseBoolean(v.getOrDefault("path-style", "false")));
            opt(v, "lag-millis").ifPresent(s -> b.lag(Duration.ofMillis(Long.parseLong(s))));
            opt(v, "lag-bytes").ifPresent(s -> b.lagBytes(Long.parseLong(s)));
            opt(v, "retention-millis").ifPresent(s -> b.retention(Duration.ofMillis(Long.parseLong(s))));
            opt(v, "archived-wait-millis").ifPresent(s -> b.archivedWait(Duration.ofMillis(Long.parseLong(s))));
            opt(v, "key-file").ifPresent(s -> b.keyFile(Path.of(s)));
            opt(v, "key-variable").ifPresent(b::keyVariable);
            return new ArchiveSettingsFile(b.build(), HexFormat.of().parseHex(required(v, "archive-id", file)));
        } catch (IllegalArgumentException e) {
            throw damaged(file, e.getMessage());
        }
    }

    /** The file's text. */
    public String encode() {
        ArchiveOptions o = options;
        StringBuilder s = new StringBuilder(HEADER).append('\n');
        s.append("url=").append(o.url()).append('\n');
        if (o.endpoint() != null) {
            s.append("endpoint=").append(o.endpoint()).append('\n');
        }
        if (o.region() != null) {
            s.append("region=").append(o.region()).append('\n');
        }
        s.append("path-style=").append(o.pathStyle()).append('\n');
        s.append("lag-millis=").append(o.lag().toMillis()).append('\n');
        s.append("lag-bytes=").append(o.lagBytes()).append('\n');
        if (o.retention() != null) {
            s.append("retention-millis=").append(o.retention().toMillis()).append('\n');
        }
        s.append("archived-wait-millis=").append(o.archivedWait().toMillis()).append('\n');
        if (o.keyFile() != null) {
            s.append("key-file=").append(o.keyFile().toAbsolutePath()).append('\n');
        }
        if (o.keyVariable() != null) {
            s.append("key-variable=").append(o.keyVariable()).append('\n');
        }
        s.append("archive-id=").append(HexFormat.of().formatHex(archiveId)).append('\n');
        CRC32C crc = new CRC32C();
        crc.update(s.toString().getBytes(StandardCharsets.UTF_8));
        return s.append("crc32c=").append(String.format("%08x", crc.getValue())).append('\n').toString();
    }

    /** Writes the settings into {@code dir}, replacing what was there, durably. */
    public void write(Path dir) throws IOException {
        Path file = fileIn(dir);
        Path temp = dir.resolve(DatabaseDirectory.ARCHIVE_SETTINGS + ".tmp");
        Files.deleteIfExists(temp);
        PrivateFiles.createFile(temp);
        try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap(encode().getBytes(StandardCharsets.UTF_8)));
            ch.force(true);
        }
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        syncDirectory(dir);
    }

    /** Removes the settings from {@code dir}: no later open ships. */
    public static boolean delete(Path dir) throws IOException {
        boolean existed = Files.deleteIfExists(fileIn(dir));
        syncDirectory(dir);
        return existed;
    }

    private static void syncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    private static String required(Map<String, String> v, String key, Path file) {
        String s = v.get(key);
        if (s == null || s.isEmpty()) {
            throw damaged(file, "it has no " + key);
        }
        return s;
    }

    private static Optional<String> opt(Map<String, String> v, String key) {
        return Optional.ofNullable(v.get(key)).filter(s -> !s.isEmpty());
    }

    private static ChronologException damaged(Path file, String why) {
        return new ChronologException("the archive settings " + file + " are damaged (" + why + "): enable the archive again"
                + " (chronolog archive enable) or remove the file to stop shipping");
    }
}

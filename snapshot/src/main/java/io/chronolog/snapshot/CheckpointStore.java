package io.chronolog.snapshot;

import io.chronolog.snapshot.internal.CatalogueFormat;
import io.chronolog.snapshot.internal.CheckpointFormat;
import io.chronolog.snapshot.internal.CheckpointReader;
import io.chronolog.snapshot.internal.CheckpointWriter;
import io.chronolog.snapshot.internal.DurableFiles;
import io.chronolog.snapshot.internal.StepListener;

import java.io.ByteArrayInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.LongConsumer;
import java.util.stream.Stream;

/**
 * Manages one directory of checkpoints: LZ4-compressed, checksummed images of a SQLite database
 * file, each at a log position, and the catalogue that lists them.
 *
 * <p>What it puts on disk (see {@code docs/FORMAT.md}): one file
 * {@code <number zero-padded to 20 digits>.ckpt} per checkpoint, written as {@code <name>.tmp},
 * forced, renamed, directory forced; and {@code catalogue}, rewritten the same way (through
 * {@code catalogue.tmp}) after every change. {@link #open} repairs what a crash can leave: it
 * deletes {@code *.tmp} files, adopts a {@code .ckpt} file the catalogue does not list once its
 * header verifies, marks catalogue entries whose file is gone {@link CheckpointMeta.State#MISSING},
 * and rebuilds a missing or damaged catalogue from the headers of the {@code .ckpt} files (a
 * damaged one is first kept as {@code catalogue.corrupt}). {@link #repairs()} says what it did.
 *
 * <p>{@link #openReadOnly} gives a store for tools that look at a directory another process holds
 * and writes: it lists what is there without repairing, deleting or renaming anything, and writes
 * no file inside the directory; {@link #refresh} reloads the catalogue.
 *
 * <p>Thread-safety: safe for concurrent use once opened. Reads, and the compression of writes,
 * run outside the store's lock, so a long {@link #extractTo} does not hold up a {@link #write};
 * a read that has begun keeps its open file if the checkpoint is deleted meanwhile. One writable
 * store per directory: the directory belongs to a single process (the engine's {@code LOCK} file
 * ensures it); read-only stores in other processes may look at it meanwhile.
 *
 * <p>Invariants: {@link #list()} never shows a checkpoint whose file was not completely written and
 * forced before it was named; the catalogue on disk always equals {@link #list()} apart from the
 * state; no method returns image bytes that failed a check. A failed check is a
 * {@link CorruptCheckpointException} naming the file and, when known, the offset; other I/O
 * failures stay plain {@link IOException}s.
 */
public final class CheckpointStore implements Closeable {

    /** Where a damaged catalogue is kept before it is rebuilt. */
    public static final String CORRUPT_CATALOGUE_NAME = CatalogueFormat.FILE_NAME + ".corrupt";

    private static final int COPY_BUFFER_BYTES = 256 * 1024;

    private final Path directory;
    private final Path catalogueFile;
    private final boolean readOnly;
    private volatile List<String> repairs;
    private final Object lock = new Object();
    /** Guarded by {@link #lock}. */
    private final TreeMap<Long, CheckpointMeta> entries;
    /** Numbers being written; guarded by {@link #lock}. */
    private final Set<Long> inFlight = new HashSet<>();
    /** Guarded by {@link #lock}. */
    private boolean closed;
    private volatile StepListener steps = StepListener.NONE;

    private CheckpointStore(Path directory, TreeMap<Long, CheckpointMeta> entries, List<String> repairs,
            boolean readOnly) {
        this.directory = directory;
        this.catalogueFile = directory.resolve(CatalogueFormat.FILE_NAME);
        this.entries = entries;
        this.repairs = List.copyOf(repairs);
        this.readOnly = readOnly;
    }

    /**
     * Opens the checkpoint directory, creating it if needed, and repairs what a crash left (see the
     * class comment).
     *
     * @throws UnsupportedFormatVersionException if the catalogue was written by a newer format
     * @throws IOException if the directory cannot be read or the repaired catalogue written
     */
    public static CheckpointStore open(Path directory) throws IOException {
        Objects.requireNonNull(directory, "directory");
        if (!Files.isDirectory(directory)) {
            Files.createDirectories(directory.toAbsolutePath().getParent());
            Files.createDirectory(directory, DurableFiles.PRIVATE_DIRECTORY);
        }
        List<String> notes = new ArrayList<>();
        TreeMap<Long, Path> files = new TreeMap<>();
        try (Stream<Path> children = Files.list(directory)) {
            for (Path child : (Iterable<Path>) children::iterator) {
                String name = child.getFileName().toString();
                if (!Files.isRegularFile(child)) {
                    continue;
                }
                if (name.endsWith(CheckpointFormat.TEMP_SUFFIX)) {
                    Files.deleteIfExists(child);
                    notes.add("deleted leftover temp file " + name);
                    continue;
                }
                OptionalLong number = CheckpointFormat.parseFileName(name);
                if (number.isPresent()) {
                    files.put(number.getAsLong(), child);
                }
            }
        }

        Path catalogue = directory.resolve(CatalogueFormat.FILE_NAME);
        List<CheckpointMeta> listed = null;
        try {
            listed = CatalogueFormat.decode(catalogue, Files.readAllBytes(catalogue));
        } catch (NoSuchFileException e) {
            if (!files.isEmpty()) {
                notes.add("catalogue missing: rebuilt from " + files.size() + " checkpoint headers");
            }
        } catch (UnsupportedFormatVersionException e) {
            throw e;
        } catch (CorruptCheckpointException e) {
            DurableFiles.move(catalogue, directory.resolve(CORRUPT_CATALOGUE_NAME));
            notes.add("catalogue damaged (" + e.getMessage() + "): kept as " + CORRUPT_CATALOGUE_NAME
                    + ", rebuilt from " + files.size() + " checkpoint headers");
        }

        TreeMap<Long, CheckpointMeta> entries = catalogued(listed, files, notes);
        boolean rewrite = listed == null;
        for (var file : files.entrySet()) {
            if (entries.containsKey(file.getKey())) {
                continue;
            }
            Optional<CheckpointMeta> adopted = adopt(file.getKey(), file.getValue(), listed != null, notes);
            if (adopted.isPresent()) {
                entries.put(file.getKey(), adopted.get());
                rewrite = true;
            }
        }

        CheckpointStore store = new CheckpointStore(directory, entries, notes, false);
        if (rewrite) {
            store.writeCatalogue(StepListener.NONE);
        }
        return store;
    }

    /**
     * Opens an existing checkpoint directory for reading only, while another process may hold it
     * and write to it. It lists the checkpoints as {@link #open} would, but repairs nothing: it
     * deletes, renames and writes no file in the directory. A missing or damaged catalogue is
     * replaced, in memory only, by a list built from the checkpoint headers; a {@code .ckpt} file
     * the catalogue does not list is listed if its header verifies and otherwise skipped untouched
     * (it may be one the writer is still producing); {@code *.tmp} files are ignored. What an
     * {@link #open} would repair is reported by {@link #repairs()}. {@link #write} and
     * {@link #delete} throw {@link IllegalStateException}; {@link #read}, {@link #extractTo},
     * {@link #verify}, {@link #list} and {@link #get} work; {@link #refresh} reloads.
     *
     * @throws NoSuchFileException if {@code directory} does not exist (it is never created)
     * @throws UnsupportedFormatVersionException if the catalogue was written by a newer format
     * @throws IOException if the directory or catalogue cannot be read
     */
    public static CheckpointStore openReadOnly(Path directory) throws IOException {
        Objects.requireNonNull(directory, "directory");
        List<String> notes = new ArrayList<>();
        TreeMap<Long, CheckpointMeta> entries = loadReadOnly(directory, notes);
        return new CheckpointStore(directory, entries, notes, true);
    }

    /**
     * Read-only stores: reloads the catalogue and the directory listing, as {@link #openReadOnly}
     * does, to see what the writing process changed since. A writable store already knows every
     * change: there it does nothing.
     *
     * @throws UnsupportedFormatVersionException if the catalogue is now of a newer format; the
     *     store keeps its previous list
     */
    public void refresh() throws IOException {
        synchronized (lock) {
            ensureOpen();
        }
        if (!readOnly) {
            return;
        }
        List<String> notes = new ArrayList<>();
        TreeMap<Long, CheckpointMeta> fresh = loadReadOnly(directory, notes);
        synchronized (lock) {
            ensureOpen();
            entries.clear();
            entries.putAll(fresh);
            repairs = List.copyOf(notes);
        }
    }

    /** Whether this store was opened by {@link #openReadOnly}. */
    public boolean isReadOnly() {
        return readOnly;
    }

    /** Catalogue reads that may be retried when the writer changes the catalogue during a load. */
    private static final int READ_ONLY_ATTEMPTS = 5;

    /**
     * The list a read-only open sees, touching nothing. The catalogue is read before and after the
     * directory listing; if the writer replaced it in between, the load starts again, so the list
     * and the files agree (a checkpoint being written or deleted is not mistaken for a missing one).
     */
    private static TreeMap<Long, CheckpointMeta> loadReadOnly(Path directory, List<String> notes) throws IOException {
        if (!Files.isDirectory(directory)) {
            throw new NoSuchFileException(directory.toString(), null, "checkpoint directory does not exist");
        }
        Path catalogue = directory.resolve(CatalogueFormat.FILE_NAME);
        for (int attempt = 1; ; attempt++) {
            notes.clear();
            byte[] before = readIfExists(catalogue);
            TreeMap<Long, Path> files = new TreeMap<>();
            try (Stream<Path> children = Files.list(directory)) {
                for (Path child : (Iterable<Path>) children::iterator) {
                    OptionalLong number = CheckpointFormat.parseFileName(child.getFileName().toString());
                    if (number.isPresent() && Files.isRegularFile(child)) {
                        files.put(number.getAsLong(), child);
                    }
                }
            }
            byte[] after = readIfExists(catalogue);
            if (!java.util.Arrays.equals(before, after) && attempt < READ_ONLY_ATTEMPTS) {
                continue;
            }
            List<CheckpointMeta> listed = null;
            if (after == null) {
                if (!files.isEmpty()) {
                    notes.add("catalogue missing: listed " + files.size() + " checkpoint headers (read-only: not rebuilt)");
                }
            } else {
                try {
                    listed = CatalogueFormat.decode(catalogue, after);
                } catch (UnsupportedFormatVersionException e) {
                    throw e;
                } catch (CorruptCheckpointException e) {
                    notes.add("catalogue damaged (" + e.getMessage() + "): listed " + files.size()
                            + " checkpoint headers (read-only: not rebuilt)");
                }
            }
            TreeMap<Long, CheckpointMeta> entries = catalogued(listed, files, notes);
            for (var file : files.entrySet()) {
                if (!entries.containsKey(file.getKey())) {
                    try {
                        adopt(file.getKey(), file.getValue(), listed != null, notes).ifPresent(m -> entries.put(m.number(), m));
                    } catch (NoSuchFileException gone) {
                        // deleted by the writer since the listing: not there
                    }
                }
            }
            return entries;
        }
    }

    /** The catalogue's entries, each marked MISSING (and noted) when its file is not among {@code files}. */
    private static TreeMap<Long, CheckpointMeta> catalogued(List<CheckpointMeta> listed, Map<Long, Path> files, List<String> notes) {
        TreeMap<Long, CheckpointMeta> entries = new TreeMap<>();
        if (listed == null) {
            return entries;
        }
        for (CheckpointMeta m : listed) {
            if (files.containsKey(m.number())) {
                entries.put(m.number(), m);
            } else {
                entries.put(m.number(), m.withState(CheckpointMeta.State.MISSING));
                notes.add("checkpoint " + m.number() + " is in the catalogue but its file "
                        + CheckpointFormat.fileName(m.number()) + " is missing");
            }
        }
        return entries;
    }

    private static byte[] readIfExists(Path file) throws IOException {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /** The header of an uncatalogued checkpoint file, if it verifies and matches its name. */
    private static Optional<CheckpointMeta> adopt(long number, Path file, boolean noteAdoption, List<String> notes)
            throws IOException {
        String name = file.getFileName().toString();
        CheckpointMeta header;
        try (FileChannel ch = FileChannel.open(file)) {
            header = CheckpointFormat.decodeHeader(file, ch);
        } catch (CorruptCheckpointException e) {
            notes.add("left " + name + " in place, not listed: " + e.getMessage());
            return Optional.empty();
        }
        if (header.number() != number) {
            notes.add("left " + name + " in place, not listed: header number disagrees with the file name: expected="
                    + number + " actual=" + header.number());
            return Optional.empty();
        }
        if (noteAdoption) {
            notes.add("adopted " + name + " (not in the catalogue; header verified)");
        }
        return Optional.of(header);
    }

    /** All checkpoints, by number ascending, including those whose file is {@code MISSING}. */
    public List<CheckpointMeta> list() {
        synchronized (lock) {
            ensureOpen();
            return List.copyOf(entries.values());
        }
    }

    /** The checkpoint numbered {@code number}, if listed. */
    public Optional<CheckpointMeta> get(long number) {
        synchronized (lock) {
            ensureOpen();
            return Optional.ofNullable(entries.get(number));
        }
    }

    /**
     * Writes a checkpoint of {@code rawImage}.
     *
     * @return its metadata, state AVAILABLE
     * @throws IllegalArgumentException if the store already lists, or is writing, {@code draft.number()}
     * @throws FileAlreadyExistsException if an unlisted file already holds that number
     */
    public CheckpointMeta write(CheckpointDraft draft, byte[] rawImage) throws IOException {
        Objects.requireNonNull(rawImage, "rawImage");
        return write(draft, new ByteArrayInputStream(rawImage));
    }

    /**
     * Writes a checkpoint of the file {@code rawImageFile}, streamed (the image is never held in
     * memory whole). The file must not change while it is read; the header records the size and
     * CRC32C of the bytes actually read.
     *
     * @return its metadata, state AVAILABLE
     * @throws IllegalArgumentException if the store already lists, or is writing, {@code draft.number()}
     * @throws FileAlreadyExistsException if an unlisted file already holds that number
     */
    public CheckpointMeta write(CheckpointDraft draft, Path rawImageFile) throws IOException {
        Objects.requireNonNull(rawImageFile, "rawImageFile");
        Objects.requireNonNull(draft, "draft");
        requireWritable();
        try (InputStream in = Files.newInputStream(rawImageFile)) {
            return write(draft, in);
        }
    }

    /**
     * Writes a checkpoint whose image is checkpoint {@code source}'s, without decompressing or
     * compressing it: a new header for {@code draft} (raw size, CRC32C and compressed size taken
     * from {@code source}) followed by a byte copy of {@code source}'s LZ4 body. Every check a
     * reader makes still covers the copied bytes: damage in the source shows in the copy.
     *
     * @return its metadata, state AVAILABLE
     * @throws IllegalArgumentException if {@code source} is not listed, or {@code draft.number()} is taken
     * @throws CorruptCheckpointException if {@code source}'s header or size disagrees with the catalogue
     */
    public CheckpointMeta writeReusingImage(CheckpointDraft draft, long source) throws IOException {
        Objects.requireNonNull(draft, "draft");
        requireWritable();
        try (Opened opened = openForRead(source)) {
            Path sourceFile = fileOf(source);
            CheckpointMeta expected = opened.expected();
            CheckpointMeta onDisk = CheckpointFormat.decodeHeader(sourceFile, opened.ch());
            long bodyStart = CheckpointFormat.headerLength(expected.label());
            if (!onDisk.equals(expected) || opened.ch().size() != bodyStart + expected.compressedSize()) {
                throw new CorruptCheckpointException("header or size differs from the catalogue (expected "
                        + (bodyStart + expected.compressedSize()) + " bytes, file has " + opened.ch().size() + ")",
                        sourceFile, 0);
            }
            return write(draft, ch -> {
                CheckpointMeta meta = draft.toMeta(expected.rawSize(), expected.compressedSize(), expected.checksum(),
                        CheckpointMeta.State.AVAILABLE);
                ch.truncate(0);
                ByteBuffer header = ByteBuffer.wrap(CheckpointFormat.encodeHeader(meta));
                while (header.hasRemaining()) {
                    ch.write(header, header.position());
                }
                ch.position(CheckpointFormat.headerLength(draft.label()));
                long copied = 0;
                while (copied < expected.compressedSize()) {
                    long n = opened.ch().transferTo(bodyStart + copied, expected.compressedSize() - copied, ch);
                    if (n <= 0) {
                        throw new CorruptCheckpointException("body ends after " + copied + " of " + expected.compressedSize()
                                + " bytes", sourceFile, bodyStart + copied);
                    }
                    copied += n;
                }
                return meta;
            });
        }
    }

    /** Writes the checkpoint file's content into an empty channel; does not force it. */
    private interface Body {
        CheckpointMeta writeTo(FileChannel ch) throws IOException;
    }

    private CheckpointMeta write(CheckpointDraft draft, InputStream raw) throws IOException {
        return write(draft, ch -> CheckpointWriter.write(ch, draft, raw));
    }

    private CheckpointMeta write(CheckpointDraft draft, Body body) throws IOException {
        Objects.requireNonNull(draft, "draft");
        requireWritable();
        long number = draft.number();
        Path target = fileOf(number);
        Path temp = DurableFiles.tempOf(target);
        synchronized (lock) {
            ensureOpen();
            if (entries.containsKey(number) || inFlight.contains(number)) {
                throw new IllegalArgumentException("checkpoint " + number + " already exists in " + directory);
            }
            if (Files.exists(target)) {
                throw new FileAlreadyExistsException(target.toString(), null,
                        "a file not in the catalogue holds checkpoint " + number);
            }
            inFlight.add(number);
        }
        StepListener listener = steps;
        boolean renamed = false;
        try {
            CheckpointMeta meta;
            try (FileChannel ch = FileChannel.open(temp, java.util.Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING), DurableFiles.PRIVATE_FILE)) {
                meta = body.writeTo(ch);
                listener.reached(StepListener.CHECKPOINT_TEMP_WRITTEN);
                ch.force(true);
            }
            listener.reached(StepListener.CHECKPOINT_TEMP_SYNCED);
            synchronized (lock) {
                ensureOpen();
                DurableFiles.move(temp, target);
                renamed = true;
                listener.reached(StepListener.CHECKPOINT_RENAMED);
                DurableFiles.syncDirectory(directory);
                listener.reached(StepListener.CHECKPOINT_DIRECTORY_SYNCED);
                entries.put(number, meta);
                try {
                    writeCatalogue(listener);
                } catch (IOException | RuntimeException e) {
                    entries.remove(number);
                    throw e;
                }
            }
            return meta;
        } catch (IOException | RuntimeException e) {
            // Errors (a simulated crash among them) skip this: open() cleans up after a crash.
            DurableFiles.deleteQuietly(renamed ? target : temp, e);
            throw e;
        } finally {
            synchronized (lock) {
                inFlight.remove(number);
            }
        }
    }

    /**
     * Streams the verified raw image of checkpoint {@code number} to {@code target}, through
     * {@code <target>.tmp}, forced and renamed over {@code target} only once every check passed.
     *
     * @param progressBytes told the number of raw bytes written since its previous call (the calls
     *     sum to the raw size); may be null
     * @throws IllegalArgumentException if no checkpoint has that number
     * @throws CorruptCheckpointException if any check fails; the temp file is deleted and
     *     {@code target} is left as it was
     */
    public void extractTo(long number, Path target, LongConsumer progressBytes) throws IOException {
        extractTo(number, target, progressBytes, true);
    }

    /**
     * As {@link #extractTo(long, Path, LongConsumer)}; with {@code durable} false the file and its
     * directory are not forced, for a scratch file whose user forces it (or discards it) itself.
     */
    public void extractTo(long number, Path target, LongConsumer progressBytes, boolean durable) throws IOException {
        Objects.requireNonNull(target, "target");
        LongConsumer progress = progressBytes == null ? n -> { } : progressBytes;
        Path temp = DurableFiles.tempOf(target);
        try (Opened opened = openForRead(number)) {
            try {
                try (FileChannel out = FileChannel.open(temp, java.util.Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        StandardOpenOption.TRUNCATE_EXISTING), DurableFiles.PRIVATE_FILE)) {
                    CheckpointReader.read(fileOf(number), opened.ch(), opened.expected(), (buf, off, len) -> {
                        ByteBuffer b = ByteBuffer.wrap(buf, off, len);
                        while (b.hasRemaining()) {
                            out.write(b);
                        }
                        progress.accept(len);
                    });
                    if (durable) {
                        out.force(true);
                    }
                }
                DurableFiles.move(temp, target);
            } catch (IOException | RuntimeException e) {
                DurableFiles.deleteQuietly(temp, e);
                throw e;
            }
            Path parent = target.toAbsolutePath().getParent();
            if (parent != null && durable) {
                DurableFiles.syncDirectory(parent);
            }
        }
    }

    /**
     * The whole verified raw image of checkpoint {@code number}, for small images and tests.
     *
     * @throws IllegalArgumentException if no checkpoint has that number
     * @throws IOException if the image is too large for one array; use {@link #extractTo}
     * @throws CorruptCheckpointException if any check fails
     */
    public byte[] read(long number) throws IOException {
        try (Opened opened = openForRead(number)) {
            CheckpointMeta expected = opened.expected();
            if (expected.rawSize() > Integer.MAX_VALUE - 16) {
                throw new IOException("checkpoint " + number + " image is " + expected.rawSize()
                        + " bytes: too large for read(), use extractTo()");
            }
            byte[] image = new byte[(int) expected.rawSize()];
            int[] filled = {0};
            CheckpointReader.read(fileOf(number), opened.ch(), expected, (buf, off, len) -> {
                System.arraycopy(buf, off, image, filled[0], len);
                filled[0] += len;
            });
            return image;
        }
    }

    /**
     * The header of a checkpoint file (or of a file holding only its first bytes, through the
     * header), checked as {@link #open} checks it; its compressed size is the bytes after the
     * header in {@code file}.
     *
     * @throws CorruptCheckpointException if the header does not verify
     */
    public static CheckpointMeta readHeader(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return CheckpointFormat.decodeHeader(file, ch);
        }
    }

    /** The bytes of checkpoint {@code number}'s file through the end of its header. */
    public byte[] headerBytes(long number) throws IOException {
        try (Opened opened = openForRead(number)) {
            int length = CheckpointFormat.headerLength(opened.expected().label());
            ByteBuffer b = ByteBuffer.allocate(length);
            while (b.hasRemaining()) {
                if (opened.ch().read(b, b.position()) < 0) {
                    throw new CorruptCheckpointException("truncated header", fileOf(number), b.position());
                }
            }
            return b.array();
        }
    }

    /**
     * Reads checkpoint {@code number} and checks everything (header, catalogue agreement, size,
     * LZ4 checksums, CRC32C of the image) without keeping the image.
     *
     * @throws IllegalArgumentException if no checkpoint has that number
     * @throws CorruptCheckpointException if any check fails
     */
    public void verify(long number) throws IOException {
        try (Opened opened = openForRead(number)) {
            CheckpointReader.read(fileOf(number), opened.ch(), opened.expected(), (buf, off, len) -> { });
        }
    }

    /**
     * Removes checkpoint {@code number}: first its catalogue entry (catalogue rewritten and
     * forced), then its file (directory forced). A crash in between leaves the file, which the next
     * {@link #open} adopts again; it never leaves an entry without its file. Works for a
     * {@code MISSING} entry too.
     *
     * @throws IllegalArgumentException if no checkpoint has that number
     */
    public void delete(long number) throws IOException {
        requireWritable();
        synchronized (lock) {
            ensureOpen();
            CheckpointMeta removed = entries.remove(number);
            if (removed == null) {
                throw new IllegalArgumentException("no checkpoint " + number + " in " + directory);
            }
            try {
                writeCatalogue(steps);
            } catch (IOException | RuntimeException e) {
                entries.put(number, removed);
                throw e;
            }
            steps.reached(StepListener.DELETE_CATALOGUE_WRITTEN);
            Files.deleteIfExists(fileOf(number));
            DurableFiles.syncDirectory(directory);
        }
    }

    /**
     * Bytes the store's files take: header plus compressed body of every {@code AVAILABLE}
     * checkpoint, plus the catalogue.
     */
    public long bytesOnDisk() {
        long total = 0;
        synchronized (lock) {
            ensureOpen();
            for (CheckpointMeta m : entries.values()) {
                if (m.state() == CheckpointMeta.State.AVAILABLE) {
                    total += CheckpointFormat.headerLength(m.label()) + m.compressedSize();
                }
            }
        }
        try {
            total += Files.size(catalogueFile);
        } catch (IOException e) {
            // no catalogue yet: nothing to count
        }
        return total;
    }

    /** The directory this store manages, as given to {@link #open}. */
    public Path directory() {
        return directory;
    }

    /** The path of checkpoint {@code number}'s file, whether or not it exists. */
    public Path fileOf(long number) {
        return directory.resolve(CheckpointFormat.fileName(number));
    }

    /**
     * What {@link #open} repaired, one sentence each (deleted temp files, adopted files, missing
     * files, a rebuilt catalogue, files left unlisted because their header failed); empty after a
     * clean shutdown. For a read-only store: what the last load found that an {@link #open} would
     * repair (temp files are not mentioned: the writer may be producing them), none of it done.
     */
    public List<String> repairs() {
        return repairs;
    }

    /** Marks the store closed; later calls throw {@link IllegalStateException}. Holds no open files. */
    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
        }
    }

    /** Test seam: {@code listener} is told each step of a write or delete and may throw there. */
    void steps(StepListener listener) {
        this.steps = Objects.requireNonNull(listener, "listener");
    }

    /** An open checkpoint file and what the catalogue said about it when it was opened. */
    private record Opened(FileChannel ch, CheckpointMeta expected) implements Closeable {
        @Override
        public void close() throws IOException {
            ch.close();
        }
    }

    private Opened openForRead(long number) throws IOException {
        synchronized (lock) {
            ensureOpen();
            CheckpointMeta expected = entries.get(number);
            if (expected == null) {
                throw new IllegalArgumentException("no checkpoint " + number + " in " + directory);
            }
            // Opened under the lock so a concurrent delete cannot slip in between lookup and open.
            return new Opened(CheckpointReader.open(fileOf(number)), expected);
        }
    }

    private void writeCatalogue(StepListener listener) throws IOException {
        List<CheckpointMeta> snapshot = Collections.unmodifiableList(new ArrayList<>(entries.values()));
        DurableFiles.writeAtomically(catalogueFile, CatalogueFormat.encode(snapshot), listener);
    }

    private void requireWritable() {
        if (readOnly) {
            throw new IllegalStateException("checkpoint store opened read-only: " + directory);
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("checkpoint store is closed: " + directory);
        }
    }
}

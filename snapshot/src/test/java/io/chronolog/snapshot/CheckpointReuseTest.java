package io.chronolog.snapshot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link CheckpointStore#writeReusingImage}: the new checkpoint reads back as the source's image
 * under its own header, survives a reopen, and damage in the source's body shows in the copy.
 * {@code -Dtests.seed=N} replays a failing run.
 */
class CheckpointReuseTest {
    @TempDir
    Path dir;

    @Test
    void theCopyHoldsTheSourceImageUnderItsOwnHeader() throws Exception {
        SplittableRandom r = Images.random("reuse");
        byte[] image = Images.compressible(r, 300_000 + r.nextInt(200_000));
        CheckpointMeta copy;
        try (CheckpointStore store = CheckpointStore.open(dir)) {
            CheckpointMeta source = store.write(Images.draft(1), image);
            CheckpointDraft draft = new CheckpointDraft(7, 3, 900, Images.hash(40), 1_767_225_700_000L, 2, Images.hash(80),
                    CheckpointMeta.Kind.CHECKPOINT, "restore");
            copy = store.writeReusingImage(draft, 1);
            assertEquals(draft.toMeta(source.rawSize(), source.compressedSize(), source.checksum(), CheckpointMeta.State.AVAILABLE), copy);
            assertArrayEquals(image, store.read(7));
            assertArrayEquals(image, store.read(1), "the source is untouched");
        }
        try (CheckpointStore reopened = CheckpointStore.open(dir)) {
            assertEquals(copy, reopened.get(7).orElseThrow());
            assertArrayEquals(image, reopened.read(7));
        }
    }

    @Test
    void damageInTheSourceBodyIsCaughtWhenTheCopyIsRead() throws Exception {
        SplittableRandom r = Images.random("reuse-damage");
        byte[] image = Images.incompressible(r, 100_000);
        try (CheckpointStore store = CheckpointStore.open(dir)) {
            CheckpointMeta source = store.write(Images.draft(1), image);
            try (RandomAccessFile f = new RandomAccessFile(store.fileOf(1).toFile(), "rw")) {
                long at = f.length() - 1 - r.nextInt((int) (source.compressedSize() / 2));
                f.seek(at);
                int b = f.read();
                f.seek(at);
                f.write(b ^ 0x5a);
            }
            store.writeReusingImage(new CheckpointDraft(2, 1, 10, Images.hash(1), 0, 1, Images.hash(2), CheckpointMeta.Kind.CHECKPOINT,
                    "restore"), 1);
            assertThrows(CorruptCheckpointException.class, () -> store.read(2));
            assertThrows(IllegalArgumentException.class, () -> store.writeReusingImage(Images.draft(3), 99), "no such source");
        }
    }
}

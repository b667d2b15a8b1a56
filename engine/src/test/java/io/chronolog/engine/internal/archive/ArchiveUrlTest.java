package io.chronolog.engine.internal.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chronolog.engine.ArchiveException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Archive URLs: the two accepted forms, and a one-line error for every other input. */
class ArchiveUrlTest {
    @Test
    void s3UrlsGiveBucketAndPrefix() {
        ArchiveUrl u = ArchiveUrl.parse("s3://my-bucket/prod/app/");
        assertEquals("s3", u.scheme());
        assertEquals("my-bucket", u.bucket());
        assertEquals("prod/app", u.prefix());
        assertEquals("prod/app/segments/1", u.key("segments/1"));
        assertEquals("s3://my-bucket/prod/app", u.toString());
        assertEquals("", ArchiveUrl.parse("s3://my-bucket").prefix());
        assertEquals("k", ArchiveUrl.parse("s3://my-bucket").key("k"));
    }

    @Test
    void fileUrlsGiveAnAbsoluteDirectory() {
        ArchiveUrl u = ArchiveUrl.parse("file:///var/backups/chronolog/");
        assertEquals("file", u.scheme());
        assertEquals(Path.of("/var/backups/chronolog"), u.path());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "  ", "bucket/prefix", "http://host/x", "s3://", "s3://A_Bucket/x", "s3://ab/x",
        "s3://bucket..name/x", "s3://bucket:9000/x", "s3://user@bucket/x", "s3://bucket/x?y=1", "s3://bucket/x#f",
        "s3://bucket/a b", "s3://bucket/a//b", "file://host/path", "file:relative/path", "file:///x?y", "s3://-bucket/x",
        "ftp://bucket/x", "s3://bucket/\u0007"})
    void malformedUrlsGetOneLineErrors(String text) {
        ArchiveException e = assertThrows(ArchiveException.class, () -> ArchiveUrl.parse(text));
        assertTrue(e.getMessage().startsWith("archive URL"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }
}

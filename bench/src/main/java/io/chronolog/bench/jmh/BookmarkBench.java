package io.chronolog.bench.jmh;

import io.chronolog.engine.Bookmark;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** {@link Bookmark}: formatting to its text form and parsing (with validation) back; the set-up checks the round trip. State is built once and only read. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class BookmarkBench {
    private Bookmark bookmark;
    private String text;

    @Setup
    public void setUp() {
        bookmark = new Bookmark(3, 1_234L, 5_678L, 0x0123_4567_89ab_cdefL, 0xfedc_ba98_7654_3210L);
        text = bookmark.toString();
        if (!Bookmark.parse(text).equals(bookmark)) {
            throw new IllegalStateException("Bookmark: parse(format(b)) differs from b for " + text);
        }
    }

    @Benchmark
    public String format() {
        return bookmark.toString();
    }

    @Benchmark
    public Bookmark parse() {
        return Bookmark.parse(text);
    }
}

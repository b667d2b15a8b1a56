package io.chronolog.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class CsvTest {
    @Test
    void sampleRowQuotesTextAndKeepsSixDecimals() {
        Sample s = new Sample("restore-history", 2, "chronolog restore", "1,000,000 statements", "ms", 1903.25);
        assertEquals("restore-history,2,\"chronolog restore\",\"1,000,000 statements\",ms,1903.250000", s.csv());
        assertEquals(Sample.CSV_HEADER.split(",").length, 6);
    }

    @Test
    void valuesPickMeasuredRoundsInOrder() {
        List<Sample> samples = List.of(
                new Sample("x", 0, "a", "v", "ms", 99),
                new Sample("x", 1, "a", "v", "ms", 3),
                new Sample("x", 1, "b", "v", "ms", 7),
                new Sample("x", 2, "a", "v", "ms", 4),
                new Sample("x", 2, "a", "w", "ms", 8),
                new Sample("x", 3, "a", "v", "p99_us", 9));
        assertArrayEquals(new double[] {3, 4}, Sample.values(samples, "a", "v", "ms"));
    }

    @Test
    void jmhRowsAsCsvAndMarkdown() {
        List<JmhTable.Row> rows = List.of(
                new JmhTable.Row("AppendBench.append", "sync=true", "avgt", 245.5, 12.25, "us/op", 10),
                new JmhTable.Row("BookmarkBench.parse", "", "avgt", 0.5, Double.NaN, "ns/op", 1));
        assertEquals(JmhTable.CSV_HEADER + "\n"
                + "AppendBench.append,\"sync=true\",avgt,245.5000,12.2500,us/op,10\n"
                + "BookmarkBench.parse,\"\",avgt,0.5000,NaN,ns/op,1\n", JmhTable.csv(rows));
        String md = JmhTable.markdown(rows);
        assertEquals(4, md.split("\n").length, md);
        assertEquals("| AppendBench.append | sync=true | avgt | 245.5 | 12.3 | us/op |", md.split("\n")[2]);
        assertEquals("| BookmarkBench.parse |  | avgt | 0.500 | n/a | ns/op |", md.split("\n")[3]);
    }

    @Test
    void chartXFromVariantNames() {
        assertEquals(1_000_000, Charts.leadingNumber("1,000,000 statements"));
        assertEquals(10, Charts.leadingNumber("~10 MB"));
        assertEquals(16, Charts.leadingNumber("16 threads"));
        assertEquals(Double.NaN, Charts.leadingNumber("under load"));
    }
}

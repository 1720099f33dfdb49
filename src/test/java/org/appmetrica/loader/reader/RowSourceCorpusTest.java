package org.appmetrica.loader.reader;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The byte-level {@link CsvRowSource} against Jackson's CSV parser (the reference, {@link JacksonCsvReference}) on hostile
 * exports: quotes, embedded line breaks, CRLF, unicode beyond the BMP, 2^64-1, empty values, a BOM, values longer than
 * the read buffer, and streams that hand out a few bytes per read. Both must give the same rows, or both fail.
 */
class RowSourceCorpusTest {

    private static final String[] PIECES = {"", "a", "open", ",", "\"", "\"\"", "\n", "\r\n", " ", "é", "Москва", "😀", "{\"k\":[1,2]}",
            "18446744073709551615", "-9223372036854775808", "2024-03-01 10:11:12", "\\N", "\t", "x".repeat(70_000)};

    @Test
    void handWrittenCorpusGivesTheSameRows() throws IOException {
        List<String> fields = List.of("a", "b", "c");
        String[] bodies = {
                "a,b,c\n1,2,3\n",
                "\uFEFFa,b,c\r\n\"x,y\",\"say \"\"hi\"\"\",\"line\nbreak\"\r\n,,\r\n",
                "a,b,c\n18446744073709551615,\"\",😀\nlast,row,no newline",
                "a,b,c\n\n1,2,3\n\n",
                "a,b,c\n\"\"\"\",\"\",\"\"\"\"\"\"\"\"\n",
                "a,b,c\nπ,\"Ω\r\nΩ\",\"" + "q".repeat(200_000) + "\"\n",
        };
        for (String body : bodies) {
            assertSameRows(body.getBytes(StandardCharsets.UTF_8), fields, 1 << 20);
            assertSameRows(body.getBytes(StandardCharsets.UTF_8), fields, 3);
        }
    }

    @Test
    void randomHostileExportsGiveTheSameRows() throws IOException {
        Random random = new Random(20261129);
        for (int round = 0; round < 300; round++) {
            int width = 1 + random.nextInt(6);
            List<String> fields = new ArrayList<>();
            for (int i = 0; i < width; i++) {
                fields.add("f" + i);
            }
            StringBuilder csv = new StringBuilder(random.nextBoolean() ? "\uFEFF" : "");
            String newline = random.nextBoolean() ? "\n" : "\r\n";
            csv.append(String.join(",", fields)).append(newline);
            int rows = random.nextInt(40);
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < width; c++) {
                    if (c > 0) {
                        csv.append(',');
                    }
                    StringBuilder value = new StringBuilder();
                    for (int k = random.nextInt(4); k > 0; k--) {
                        String piece = PIECES[random.nextInt(PIECES.length)];
                        value.append(piece.length() > 1000 && random.nextInt(10) > 0 ? "y" : piece);
                    }
                    csv.append(quote(value.toString(), width == 1 || random.nextInt(4) == 0));
                }
                if (r < rows - 1 || random.nextBoolean()) {
                    csv.append(newline);
                }
            }
            byte[] body = csv.toString().getBytes(StandardCharsets.UTF_8);
            assertSameRows(body, fields, 1 + random.nextInt(9));
            assertSameRows(body, fields, 1 << 20);
        }
    }

    @Test
    void bothRejectTheSameBrokenBodies() {
        List<String> fields = List.of("a", "b");
        String[] broken = {"a,b\n1,\"2", "a,b\n1,2,3\n", "a,b\n1\n", "a,c\n1,2\n", ""};
        for (String body : broken) {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            assertThrows(IOException.class, () -> jackson(bytes, fields), body);
            assertThrows(IOException.class, () -> bytesLevel(bytes, fields, 4), body);
        }
        byte[] invalidUtf8 = {'a', ',', 'b', '\n', '1', ',', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '\n'}; // a surrogate
        assertThrows(IOException.class, () -> jackson(invalidUtf8, fields));
        assertThrows(IOException.class, () -> bytesLevel(invalidUtf8, fields, 4));
    }

    @Test
    void utf8ValidationAgreesWithTheJdkDecoder() {
        Random random = new Random(7);
        byte[] interesting = {0, 'a', (byte) 0x7F, (byte) 0x80, (byte) 0xBF, (byte) 0xC0, (byte) 0xC2, (byte) 0xDF, (byte) 0xE0,
                (byte) 0xA0, (byte) 0xED, (byte) 0x9F, (byte) 0xEF, (byte) 0xF0, (byte) 0x90, (byte) 0xF4, (byte) 0x8F, (byte) 0xF5, (byte) 0xFF};
        for (int round = 0; round < 200_000; round++) {
            byte[] b = new byte[random.nextInt(12)];
            for (int i = 0; i < b.length; i++) {
                b[i] = random.nextInt(3) == 0 ? (byte) random.nextInt(256) : interesting[random.nextInt(interesting.length)];
            }
            assertEquals(jdkAccepts(b), Utf8.isValid(b, 0, b.length), () -> Arrays.toString(b));
        }
    }

    @Test
    void utf8FastPathsSeeEveryOffsetAndNothingPastTheEnd() {
        byte[][] probes = {{(byte) 0xFF}, {(byte) 0xC3}, {(byte) 0xC3, (byte) 0xA9}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
                {(byte) 0xF0, (byte) 0x9F, (byte) 0x98, (byte) 0x80}, {(byte) 0x80}};
        for (int length = 0; length <= 40; length++) {
            for (int at = 0; at < length; at++) {
                for (byte[] probe : probes) {
                    byte[] b = new byte[length + 24];
                    Arrays.fill(b, (byte) 'a');
                    Arrays.fill(b, length + 3, b.length, (byte) 0xFF); // invalid bytes just past the range must not count
                    System.arraycopy(probe, 0, b, 3 + at, Math.min(probe.length, length - at));
                    byte[] range = Arrays.copyOfRange(b, 3, 3 + length);
                    assertEquals(jdkAccepts(range), Utf8.isValid(b, 3, 3 + length), () -> Arrays.toString(range));
                }
            }
            byte[] ascii = new byte[length + 8];
            Arrays.fill(ascii, (byte) 'a');
            ascii[length + 3] = (byte) 0xFF;
            assertEquals(true, Utf8.isValid(ascii, 3, 3 + length), "ASCII of length " + length);
        }
    }

    private static boolean jdkAccepts(byte[] b) {
        try {
            StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(b));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    private static String quote(String value, boolean always) {
        boolean needs = always || value.contains(",") || value.contains("\"") || value.contains("\n")
                || value.contains("\r");
        return needs ? "\"" + value.replace("\"", "\"\"") + "\"" : value;
    }

    private static void assertSameRows(byte[] body, List<String> fields, int bytesPerRead) throws IOException {
        assertEquals(jackson(body, fields), bytesLevel(body, fields, bytesPerRead),
                () -> "rows differ for: " + new String(body, StandardCharsets.UTF_8).replace("x".repeat(1000), "x…"));
    }

    private static List<List<String>> jackson(byte[] body, List<String> fields) throws IOException {
        List<List<String>> rows = new ArrayList<>();
        try (JacksonCsvReference source = new JacksonCsvReference(new ByteArrayInputStream(body), fields, "corpus.csv")) {
            for (String[] row = source.next(); row != null; row = source.next()) {
                rows.add(List.of(row));
            }
        }
        return rows;
    }

    private static List<List<String>> bytesLevel(byte[] body, List<String> fields, int bytesPerRead) throws IOException {
        List<List<String>> rows = new ArrayList<>();
        try (CsvRowSource source = new CsvRowSource(new Trickle(new ByteArrayInputStream(body), bytesPerRead), fields, "corpus.csv")) {
            for (Cells row = source.next(); row != null; row = source.next()) {
                rows.add(List.of(row.strings()));
            }
        }
        return rows;
    }

    /** Hands out at most a few bytes per read, as a slow network or a file still being written does. */
    private static final class Trickle extends FilterInputStream {
        private final int most;

        Trickle(InputStream in, int most) {
            super(in);
            this.most = most;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return super.read(b, off, Math.min(len, most));
        }
    }
}

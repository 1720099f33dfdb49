package org.appmetrica.loader.processor;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The byte parsers accept and reject exactly what Long.parseLong and Long.parseUnsignedLong do. */
class NumbersTest {

    @Test
    void sameAnswersAsTheJdk() {
        List<String> cases = new ArrayList<>(List.of("0", "-0", "+0", "7", "-7", "+", "-", "--1", "+-1", "1-", " 1", "1 ",
                "9223372036854775807", "9223372036854775808", "-9223372036854775808", "-9223372036854775809",
                "18446744073709551615", "18446744073709551616", "99999999999999999999", "184467440737095516150",
                "000000000000000000000000001", "0009223372036854775807", "1e3", "0x10", "12a", "18449999999999999999",
                "18450000000000000000", "09999999999999999999", "10000000000000000000", "00000000000000000001", "1844674407370955161"));
        Random random = new Random(11);
        for (int i = 0; i < 100_000; i++) {
            StringBuilder s = new StringBuilder(random.nextInt(5) == 0 ? "-" : "");
            for (int k = 1 + random.nextInt(21); k > 0; k--) {
                // the bytes next to the digits ('/' 0x2F, ':' 0x3A) and a 2-byte character test the eight-at-a-time check
                s.append(random.nextInt(40) == 0 ? "x/:é ".charAt(random.nextInt(5)) : (char) ('0' + random.nextInt(10)));
            }
            cases.add(s.toString());
        }
        for (String value : cases) {
            // at an array's start (read byte by byte), and after 16 digits (the usual value: read as eight-byte words
            // ending at its last byte, whose bytes before the value must not count)
            for (String before : List.of("<", "9876543210987654<", "1234567890123456")) {
                byte[] b = (before + value + ">").getBytes(StandardCharsets.UTF_8);
                int from = before.length();
                int to = b.length - 1;
                assertEquals(jdk(() -> Long.parseLong(value)), ours(() -> Numbers.parseLong(b, from, to)), "signed " + value);
                assertEquals(jdk(() -> Long.parseUnsignedLong(value)), ours(() -> Numbers.parseUnsignedLong(b, from, to)),
                        "unsigned " + value);
            }
        }
    }

    @Test
    void aNonDigitAtAnyOffsetOfTheEightAtATimeWordsIsRefused() {
        byte[] bad = {'/', ':', '?', ' ', 0, (byte) 0xB5, (byte) 0xC3, 'a'};
        for (int length = 1; length <= 20; length++) {
            for (int pad : new int[] {1, 17}) {
                int end = pad + length;
                for (int at = 0; at < length; at++) {
                    for (byte x : bad) {
                        byte[] b = ("1".repeat(pad) + "1".repeat(length) + ">").getBytes(StandardCharsets.UTF_8);
                        b[pad + at] = x;
                        String value = new String(b, pad, length, StandardCharsets.ISO_8859_1);
                        assertEquals("invalid", ours(() -> Numbers.parseLong(b, pad, end)), "signed " + value);
                        assertEquals("invalid", ours(() -> Numbers.parseUnsignedLong(b, pad, end)), "unsigned " + value);
                    }
                }
            }
            int end = 1 + length;
            String digits = "98765432109876543210".substring(0, length);
            byte[] b = ("<" + digits + ">").getBytes(StandardCharsets.UTF_8);
            assertEquals(jdk(() -> Long.parseUnsignedLong(digits)), ours(() -> Numbers.parseUnsignedLong(b, 1, end)), digits);
        }
    }

    @Test
    void onlyAsciiDigitsCount() {
        byte[] arabicOne = "١".getBytes(StandardCharsets.UTF_8);
        assertEquals("invalid", ours(() -> Numbers.parseLong(arabicOne, 0, arabicOne.length)));
        assertEquals("invalid", ours(() -> Numbers.parseUnsignedLong(arabicOne, 0, arabicOne.length)));
    }

    private interface Parse {
        long get();
    }

    private static String jdk(Parse parse) {
        try {
            return Long.toString(parse.get());
        } catch (NumberFormatException e) {
            return "invalid";
        }
    }

    private static String ours(Parse parse) {
        return jdk(parse);
    }
}

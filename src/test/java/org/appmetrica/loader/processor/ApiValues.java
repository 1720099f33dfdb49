package org.appmetrica.loader.processor;

import org.appmetrica.loader.schema.ColumnType;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Random;

/** Random API values of each column type, and what they mean as parsed by the JDK: for tests of the mapping. */
public final class ApiValues {

    public static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final String[] TEXTS = {"", "a", "plain", "привет, мир", "😀 four-byte", "exactly sixteen!", "seventeen bytes!!",
            "tab\there", "line\nbreak", "back\\slash", "quote\"'", "x".repeat(127), "y".repeat(128), "z".repeat(300)};

    private ApiValues() {
    }

    /** A value of the type as the Logs API may send it: NULL as empty, numbers with signs and leading zeros. */
    public static String random(ColumnType type, Random random) {
        if (type != ColumnType.STRING && random.nextInt(6) == 0) {
            return "";
        }
        return switch (type) {
            case STRING -> TEXTS[random.nextInt(TEXTS.length)] + (random.nextBoolean() ? random.nextInt() : "");
            case INT64 -> switch (random.nextInt(5)) {
                case 0 -> String.valueOf(random.nextInt(1000));
                case 1 -> String.valueOf(Long.MIN_VALUE);
                case 2 -> "-" + random.nextInt(100);
                case 3 -> "00" + random.nextInt(99_999);
                default -> String.valueOf(random.nextLong() >> random.nextInt(64));
            };
            case UINT64 -> switch (random.nextInt(4)) {
                case 0 -> "18446744073709551615";
                case 1 -> Long.toUnsignedString(random.nextLong());
                case 2 -> "+" + random.nextInt(1000);
                default -> Long.toUnsignedString(random.nextLong() >>> random.nextInt(64));
            };
            case BOOL -> List.of("true", "false", "0", "1").get(random.nextInt(4));
            case DATE -> (random.nextBoolean() ? LocalDate.of(2024, 3, 1) : LocalDate.ofEpochDay(random.nextInt(47_000)) /* 18.16 reads text dates up to 2105 */).toString();
            case DATETIME -> TIME.format(random.nextBoolean()
                    ? LocalDateTime.of(2024, 3, 1, random.nextInt(24), random.nextInt(60), random.nextInt(60))
                    : LocalDateTime.ofEpochSecond((long) random.nextInt(2_000_000_000) * 2, 0, ZoneOffset.UTC))
                    .replace(' ', random.nextInt(10) == 0 ? 'T' : ' ');
        };
    }

    /** The value as the JDK's parsers read it, as NativeDecoder gives it back: null for NULL, days, seconds, longs. */
    public static Object parsed(ColumnType type, String value) {
        if (type == ColumnType.STRING) {
            return value;
        }
        if (value.isEmpty()) {
            return null;
        }
        return switch (type) {
            case INT64 -> Long.parseLong(value);
            case UINT64 -> Long.parseUnsignedLong(value);
            case BOOL -> value.equals("true") || value.equals("1") ? 1L : 0L;
            case DATE -> LocalDate.parse(value).toEpochDay();
            case DATETIME -> LocalDateTime.parse(value.replace('T', ' '), TIME).toEpochSecond(ZoneOffset.UTC);
            case STRING -> throw new AssertionError();
        };
    }

}

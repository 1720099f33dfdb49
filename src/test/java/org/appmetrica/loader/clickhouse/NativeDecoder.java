package org.appmetrica.loader.clickhouse;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads Native blocks back (tests only), for the types the loader writes: each column's name, type and values (null
 * for NULL; numbers as Long, unsigned 64-bit ones as their signed bits; String as String).
 */
public final class NativeDecoder {

    public record Column(String name, String type, List<Object> values) {
    }

    private NativeDecoder() {
    }

    /** The columns of every block, the values of a column appended block after block. */
    public static List<Column> decode(byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        List<Column> columns = new ArrayList<>();
        while (in.hasRemaining()) {
            int count = (int) varUInt(in);
            int rows = (int) varUInt(in);
            for (int c = 0; c < count; c++) {
                String name = string(in);
                String type = string(in);
                if (columns.size() <= c) {
                    columns.add(new Column(name, type, new ArrayList<>()));
                } else if (!columns.get(c).name().equals(name) || !columns.get(c).type().equals(type)) {
                    throw new IllegalStateException("column " + c + " changed from block to block");
                }
                columns.get(c).values().addAll(values(in, type, rows));
            }
        }
        return columns;
    }

    private static List<Object> values(ByteBuffer in, String type, int rows) {
        boolean[] isNull = new boolean[rows];
        String nested = type;
        if (type.startsWith("Nullable(")) {
            nested = type.substring(9, type.length() - 1);
            for (int r = 0; r < rows; r++) {
                isNull[r] = in.get() != 0;
            }
        }
        List<Object> values = new ArrayList<>();
        for (int r = 0; r < rows; r++) {
            Object v = switch (nested) {
                case "String" -> string(in);
                case "UInt8" -> (long) Byte.toUnsignedInt(in.get());
                case "Date" -> (long) Short.toUnsignedInt(in.getShort());
                case "DateTime('UTC')", "DateTime" -> Integer.toUnsignedLong(in.getInt());
                case "Int64", "UInt64" -> in.getLong();
                default -> throw new IllegalArgumentException(type);
            };
            values.add(isNull[r] ? null : v);
            if (isNull[r] && v instanceof Long l && l != 0) {
                throw new IllegalStateException("a NULL of " + type + " over " + l + ", not the type's zero");
            }
        }
        return values;
    }

    private static long varUInt(ByteBuffer in) {
        long v = 0;
        for (int shift = 0; ; shift += 7) {
            int b = in.get();
            v |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return v;
            }
        }
    }

    private static String string(ByteBuffer in) {
        byte[] b = new byte[(int) varUInt(in)];
        in.get(b);
        return new String(b, StandardCharsets.UTF_8);
    }
}

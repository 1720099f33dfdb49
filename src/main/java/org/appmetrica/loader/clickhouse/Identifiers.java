package org.appmetrica.loader.clickhouse;

import java.util.regex.Pattern;

/** Validates ClickHouse identifiers against a strict pattern and quotes them; SQL is never built from other text. */
public final class Identifiers {

    private static final Pattern PLAIN_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}");
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private Identifiers() {
    }

    public static boolean isPlainName(String name) {
        return name != null && PLAIN_NAME.matcher(name).matches();
    }

    /** Returns the name if it is a plain identifier, else throws with the offending text. */
    public static String requirePlainName(String what, String name) {
        if (!isPlainName(name)) {
            throw new IllegalArgumentException(what + " '" + name
                    + "' is not a plain name: expected letters, digits and '_' (not starting with a digit), at most 64 characters");
        }
        return name;
    }

    /**
     * Returns the text if it is a key that may stand inside a quoted SQL string literal (letters, digits, '_', '-'),
     * such as the name of a regular load or connection; else throws with the offending text.
     */
    public static String requireKey(String what, String key) {
        if (key == null || !KEY.matcher(key).matches()) {
            throw new IllegalArgumentException(what + " '" + key + "' is not a plain key: expected letters, digits, '_' and '-', at most 64 characters");
        }
        return key;
    }

    /** Back-quoted identifier; the name has already passed {@link #requirePlainName}. */
    public static String quote(String name) {
        return "`" + requirePlainName("identifier", name) + "`";
    }

    /** {@code `db`.`table`} */
    public static String qualified(String database, String table) {
        return quote(database) + "." + quote(table);
    }
}

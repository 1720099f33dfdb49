package org.appmetrica.loader.clickhouse;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A ClickHouse request failed; carries the server's error code where it sent one. */
public class ClickHouseException extends RuntimeException {

    private static final Pattern CODE = Pattern.compile("Code: (\\d+)");

    private final int code;

    public ClickHouseException(String message, Throwable cause) {
        super(message, cause);
        this.code = codeOf(cause);
    }

    /** Server error code, or 0 when the failure was not a server answer (network, timeout). */
    public int code() {
        return code;
    }

    private static int codeOf(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            // 18.16 sends no X-ClickHouse-Exception-Code header, so the code is only in the text.
            Matcher m = CODE.matcher(String.valueOf(c.getMessage()));
            if (m.find()) {
                return Integer.parseInt(m.group(1));
            }
        }
        return 0;
    }
}

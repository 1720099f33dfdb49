package org.appmetrica.loader.clickhouse;

import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A ClickHouse request failed; carries the server's error code where it sent one. */
public class ClickHouseException extends RuntimeException {

    private static final Pattern CODE = Pattern.compile("Code: (\\d+)");
    /**
     * Server codes worth retrying: 3 UNEXPECTED_END_OF_FILE, 159 TIMEOUT_EXCEEDED, 164 READONLY, 202
     * TOO_MANY_SIMULTANEOUS_QUERIES, 203 NO_FREE_CONNECTION, 209 SOCKET_TIMEOUT, 210 NETWORK_ERROR, 241
     * MEMORY_LIMIT_EXCEEDED, 242 TABLE_IS_READ_ONLY, 252 TOO_MANY_PARTS, 285 TOO_FEW_LIVE_REPLICAS, 292
     * LEADERSHIP_CHANGED (a replica that just came back: "Leader was suddenly changed"), 319 UNKNOWN_STATUS_OF_INSERT,
     * 425 SYSTEM_ERROR, 999 KEEPER_EXCEPTION (ZooKeeper's session lost or expired); 0 means no server answer at all
     * (connection refused, reset, timeout).
     */
    private static final Set<Integer> TRANSIENT = Set.of(0, 3, 159, 164, 202, 203, 209, 210, 241, 242, 252, 285, 292, 319, 425,
            999);

    /** The exception for this failure: {@link TransientClickHouseException} when retrying may help. */
    public static ClickHouseException of(String message, Throwable cause) {
        int code = codeOf(cause);
        return TRANSIENT.contains(code) ? new TransientClickHouseException(message, cause) : new ClickHouseException(message, cause);
    }

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

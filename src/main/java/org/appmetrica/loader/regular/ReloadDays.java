package org.appmetrica.loader.regular;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * How many days after its end a day is loaded again (late data still changes it): one name, {@value #KEY}, and one
 * default for regular-load files and connections. The old name of the files, {@value #ALIAS}, is still read.
 */
public final class ReloadDays {

    public static final String KEY = "reloadDays";
    /** The name regular-load files used before they were read as connections. */
    public static final String ALIAS = "reloadWindowDays";
    public static final int MAX = 365;

    private static final Logger LOG = Logger.getLogger(ReloadDays.class.getName());
    private static final Set<String> WARNED = ConcurrentHashMap.newKeySet();

    private ReloadDays() {
    }

    /**
     * 7 days by device time (offline devices send events of past days for a while), 1 by receive time: a day the
     * server received is complete once it ends, one more day covers events still being processed at midnight.
     */
    public static int defaultFor(String dateDimension) {
        return "receive".equals(dateDimension) ? 1 : 7;
    }

    /**
     * The value given as {@value #KEY}, or else as {@value #ALIAS} with a warning naming the new key (once per
     * definition); null when neither is given. Both with different values: refused.
     */
    public static String resolve(String definition, String value, String alias) {
        if (alias == null) {
            return value;
        }
        if (value != null && !value.trim().equals(alias.trim())) {
            throw new IllegalArgumentException(KEY + "=" + value.trim() + " and " + ALIAS + "=" + alias.trim() + ": give " + KEY + " only ("
                    + ALIAS + " is its old name)");
        }
        if (WARNED.add(String.valueOf(definition))) {
            LOG.warning(definition + ": " + ALIAS + " is an old name, read as " + KEY + "; write " + KEY + "=" + alias.trim() + " instead");
        }
        return alias;
    }

    /** A whole number from 0 to {@value #MAX}. */
    public static int parse(String text) {
        try {
            int days = Integer.parseInt(text.trim());
            return check(days);
        } catch (NumberFormatException e) {
            throw invalid(text);
        }
    }

    public static int check(int days) {
        if (days < 0 || days > MAX) {
            throw invalid(Integer.toString(days));
        }
        return days;
    }

    private static IllegalArgumentException invalid(String text) {
        return new IllegalArgumentException(KEY + "=" + text + ": expected 0 to " + MAX);
    }
}

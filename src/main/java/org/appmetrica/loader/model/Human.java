package org.appmetrica.loader.model;

import java.time.Duration;
import java.util.Locale;

/** Figures as a person reads them, in the console page's units: exact ones stay in --json. */
public final class Human {

    private static final String[] UNITS = {"B", "KB", "MB", "GB", "TB"};

    private Human() {
    }

    /** 1175921497 → "1.1 GB" (powers of 1024, as the page shows them). */
    public static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        double v = n;
        int i = 0;
        while (v >= 1024 && i < UNITS.length - 1) {
            v /= 1024;
            i++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, UNITS[i]);
    }

    /** 1234567 → "1,234,567". */
    public static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /** "45 s", "3 min 20 s", "2 h 5 min". */
    public static String duration(Duration d) {
        long s = Math.max(0, d.toSeconds());
        if (s < 60) {
            return s + " s";
        }
        if (s < 3600) {
            return s / 60 + " min " + s % 60 + " s";
        }
        return s / 3600 + " h " + s % 3600 / 60 + " min";
    }
}

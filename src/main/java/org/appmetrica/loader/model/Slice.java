package org.appmetrica.loader.model;

import java.io.Serializable;
import java.time.LocalDate;

/**
 * The unit of work: one application, one source, one day (or the whole source for dateless sources).
 * One partition of the load step, one export (maybe in parts), one ClickHouse partition.
 */
public record Slice(long applicationId, String source, LocalDate day) implements Serializable {

    /** ClickHouse partitions of dateless sources use this day. */
    public static final LocalDate NO_DAY = LocalDate.EPOCH;

    public LocalDate partitionDay() {
        return day == null ? NO_DAY : day;
    }

    /** Text form used in partition plans: {@code 1111/events/2024-03-01} or {@code 1111/push_tokens/-}. */
    public String key() {
        return applicationId + "/" + source + "/" + (day == null ? "-" : day.toString());
    }

    public static Slice parse(String key) {
        String[] p = key.split("/");
        if (p.length != 3) {
            throw new IllegalArgumentException("not a slice key: " + key);
        }
        return new Slice(Long.parseLong(p[0]), p[1], p[2].equals("-") ? null : LocalDate.parse(p[2]));
    }

    @Override
    public String toString() {
        return "app " + applicationId + " " + source + (day == null ? "" : " " + day);
    }
}

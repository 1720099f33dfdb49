package org.appmetrica.loader.clickhouse;

/** major.minor of a ClickHouse server, to pick features both generations accept. */
public record ServerVersion(int major, int minor, String text) {

    public static ServerVersion parse(String text) {
        String[] parts = String.valueOf(text).trim().split("\\.");
        try {
            return new ServerVersion(Integer.parseInt(parts[0]), parts.length > 1 ? Integer.parseInt(parts[1]) : 0, text);
        } catch (NumberFormatException e) {
            return new ServerVersion(0, 0, text);
        }
    }

    public boolean atLeast(int wantMajor, int wantMinor) {
        return major > wantMajor || (major == wantMajor && minor >= wantMinor);
    }

    /** {@code DELETE FROM t IN PARTITION p WHERE …} (lightweight, synchronous by default) exists since 24.9. */
    public boolean lightweightDeleteInPartition() {
        return atLeast(24, 9);
    }
}

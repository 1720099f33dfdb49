package org.appmetrica.loader.admin;

/** Path and query values of the admin API ({@link AdminResource}). */
final class Requests {

    private Requests() {
    }

    static long executionId(String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw AdminException.notFound("no execution '" + clean(text) + "': execution ids are numbers");
        }
    }

    static int limit(String text) {
        if (text == null || text.isBlank()) {
            return 50;
        }
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw AdminException.badRequest("limit='" + clean(text) + "': expected a positive number");
        }
    }

    private static String clean(String s) {
        String c = s == null ? "" : s.replaceAll("[^\\w.-]", "?");
        return c.length() > 40 ? c.substring(0, 40) + "…" : c;
    }
}

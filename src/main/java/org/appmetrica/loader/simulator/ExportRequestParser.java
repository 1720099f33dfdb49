package org.appmetrica.loader.simulator;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.appmetrica.loader.schema.SourceSpec;

/** Validates the query of {@code /logs/v1/export/{resource}.{format}} (docs/logs-api.md §2, §6 item 3). */
final class ExportRequestParser {

    /** A request the API rejects: status and one-line plain-text message. */
    static final class Rejection extends Exception {
        private static final long serialVersionUID = 1L;
        final int status;

        Rejection(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }
    }

    static final Set<String> RECOGNISED = Set.of("application_id", "fields", "date_since", "date_until",
            "date_dimension", "use_utf8_bom", "skip_unavailable_shards", "limit", "parts_count", "part_number",
            "version", "update_timestamp", "oauth_token");
    /** Parameters that do not belong to an export's identity. */
    static final Set<String> NOT_IN_IDENTITY = Set.of("parts_count", "part_number", "oauth_token");

    private static final DateTimeFormatter DATE_TIME =
            DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss").withResolverStyle(ResolverStyle.STRICT);
    private static final DateTimeFormatter DATE =
            DateTimeFormatter.ofPattern("uuuu-MM-dd").withResolverStyle(ResolverStyle.STRICT);
    /** Guard against absurd ranges (the real API has none documented; 100 years is plenty). */
    private static final long MAX_DAYS = 36_600;

    private ExportRequestParser() {
    }

    /** Application id of the request, validated first so that access can be checked before the rest. */
    static long applicationId(Map<String, String> q) throws Rejection {
        String app = q.get("application_id");
        if (app == null || app.isEmpty()) {
            throw new Rejection(400, "Missing required parameter: application_id.");
        }
        try {
            long id = Long.parseLong(app);
            if (id < 0) {
                throw new NumberFormatException();
            }
            return id;
        } catch (NumberFormatException e) {
            throw new Rejection(400, "Invalid parameter application_id: a non-negative integer is expected.");
        }
    }

    static ExportQuery parse(SourceSpec source, boolean json, Map<String, String> q) throws Rejection {
        long app = applicationId(q);

        String fieldsParam = q.get("fields");
        if (fieldsParam == null || fieldsParam.isBlank()) {
            throw new Rejection(400, "Missing required parameter: fields.");
        }
        List<String> fields = new ArrayList<>();
        for (String raw : fieldsParam.split(",", -1)) {
            String name = raw.trim();
            if (name.isEmpty()) {
                throw new Rejection(400, "Invalid parameter fields: empty field name in the list.");
            }
            if (source.field(name).isEmpty()) {
                throw new Rejection(400, "Unknown field in parameter fields: " + printable(name) + " (resource "
                        + source.name() + ").");
            }
            fields.add(name);
        }

        LocalDateTime since = dateTime(q, "date_since");
        LocalDateTime until = dateTime(q, "date_until");
        List<LocalDate> days = new ArrayList<>();
        if (source.datesRequired()) {
            if (since == null) {
                throw new Rejection(400, "Missing required parameter: date_since.");
            }
            if (until == null) {
                throw new Rejection(400, "Missing required parameter: date_until.");
            }
            if (until.isBefore(since)) {
                throw new Rejection(400, "Invalid parameters: date_until is earlier than date_since.");
            }
            LocalDate first = since.toLocalDate();
            LocalDate last = until.toLocalDate();
            if (last.toEpochDay() - first.toEpochDay() >= MAX_DAYS) {
                throw new Rejection(400, "Invalid parameters: the range of date_since and date_until is too long.");
            }
            for (LocalDate d = first; !d.isAfter(last); d = d.plusDays(1)) {
                days.add(d);
            }
        } else {
            days.add(null);
        }

        String dimension = q.get("date_dimension");
        if (dimension != null) {
            if (!source.dateDimensionAccepted()) {
                throw new Rejection(400, "Parameter date_dimension is not supported by resource " + source.name()
                        + ".");
            }
            if (!dimension.equals("default") && !dimension.equals("receive")) {
                throw new Rejection(400, "Invalid parameter date_dimension: default or receive is expected.");
            }
        }
        boolean bom = bool(q, "use_utf8_bom");
        bool(q, "skip_unavailable_shards");
        long limit = positive(q, "limit", Long.MAX_VALUE);
        long partsCount = positive(q, "parts_count", 1_000_000);
        String partParam = q.get("part_number");
        int partNumber = 0;
        if (partParam != null) {
            if (partsCount == 0) {
                throw new Rejection(400, "Invalid parameter part_number: parts_count is required with it.");
            }
            try {
                partNumber = Integer.parseInt(partParam);
            } catch (NumberFormatException e) {
                partNumber = -1;
            }
            if (partNumber < 0 || partNumber >= partsCount) {
                throw new Rejection(400, "Invalid parameter part_number: 0 .. parts_count-1 is expected.");
            }
        }
        String updateTs = q.get("update_timestamp");
        if (updateTs != null && !updateTs.matches("[0-9]{1,12}")) {
            throw new Rejection(400, "Invalid parameter update_timestamp: Unix time in seconds is expected.");
        }

        Map<String, String> filters = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : q.entrySet()) {
            String name = e.getKey();
            if (RECOGNISED.contains(name)) {
                continue;
            }
            if (source.field(name).isEmpty()) {
                throw new Rejection(400, "Unknown parameter or filter field: " + printable(name) + " (resource "
                        + source.name() + ").");
            }
            filters.put(name, e.getValue());
        }

        TreeMap<String, String> sorted = new TreeMap<>(q);
        sorted.keySet().removeAll(NOT_IN_IDENTITY);
        StringBuilder identity = new StringBuilder(source.name()).append(json ? ".json" : ".csv");
        sorted.forEach((k, v) -> identity.append('\u0000').append(k).append('=').append(v));

        return new ExportQuery(source, json, app, Collections.unmodifiableList(days), List.copyOf(fields),
                Collections.unmodifiableMap(filters), limit, bom, (int) Math.max(1, partsCount), partNumber,
                identity.toString());
    }

    private static LocalDateTime dateTime(Map<String, String> q, String name) throws Rejection {
        String v = q.get(name);
        if (v == null) {
            return null;
        }
        try {
            if (v.length() == 10) {
                return LocalDate.parse(v, DATE).atStartOfDay();
            }
            return LocalDateTime.parse(v, DATE_TIME);
        } catch (DateTimeParseException e) {
            throw new Rejection(400, "Invalid parameter " + name + ": yyyy-mm-dd hh:mm:ss or yyyy-mm-dd is expected.");
        }
    }

    private static boolean bool(Map<String, String> q, String name) throws Rejection {
        String v = q.get(name);
        if (v == null || v.equals("false")) {
            return false;
        }
        if (v.equals("true")) {
            return true;
        }
        throw new Rejection(400, "Invalid parameter " + name + ": true or false is expected.");
    }

    /** A positive integer parameter, or 0 when absent. */
    private static long positive(Map<String, String> q, String name, long max) throws Rejection {
        String v = q.get(name);
        if (v == null) {
            return 0;
        }
        try {
            long n = Long.parseLong(v);
            if (n >= 1 && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // fall through
        }
        throw new Rejection(400, "Invalid parameter " + name + ": a positive integer is expected.");
    }

    /** A client-supplied name, shortened and stripped of control characters, for an error message. */
    static String printable(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length() && sb.length() < 100; i++) {
            char c = s.charAt(i);
            sb.append(c < 0x20 || c == 0x7F ? '?' : c);
        }
        return sb.toString();
    }
}

package org.appmetrica.loader.logsapi;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One Logs API export: {@code GET {apiUrl}/logs/v1/export/{source}.{format}?…}. Whole days, both ends inclusive.
 *
 * @param dateSince  first day, or null for sources exported without dates
 * @param dateDimension "default" or "receive", or null to leave the parameter out (postbacks)
 * @param partsCount 1 unless the API asked for more parts
 */
public record ExportRequest(String apiUrl, String source, String format, long applicationId,
                            LocalDate dateSince, LocalDate dateUntil, String dateDimension,
                            List<String> fields, Map<String, String> filters, int partsCount, int partNumber) {

    public ExportRequest {
        fields = List.copyOf(fields);
        filters = Map.copyOf(filters);
    }

    public ExportRequest withPart(int count, int number) {
        return new ExportRequest(apiUrl, source, format, applicationId, dateSince, dateUntil, dateDimension, fields, filters, count, number);
    }

    public String path() {
        return "/logs/v1/export/" + source + "." + format;
    }

    /** Query parameters in a stable order (the API treats them as a set; stability keeps logs comparable). */
    public Map<String, String> queryParameters() {
        Map<String, String> q = new LinkedHashMap<>();
        q.put("application_id", Long.toString(applicationId));
        if (dateSince != null) {
            q.put("date_since", dateSince + " 00:00:00");
            q.put("date_until", dateUntil + " 23:59:59");
        }
        if (dateDimension != null) {
            q.put("date_dimension", dateDimension);
        }
        q.put("fields", String.join(",", fields));
        filters.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> q.put(e.getKey(), e.getValue()));
        if (partsCount > 1) {
            q.put("parts_count", Integer.toString(partsCount));
            q.put("part_number", Integer.toString(partNumber));
        }
        return q;
    }

    /**
     * SHA-256 of what identifies this export's content: the API, the source, the format and every query parameter
     * (parts included). Two requests with the same fingerprint ask for the same file.
     */
    public String fingerprint() {
        StringBuilder text = new StringBuilder(apiUrl).append(path()).append('?');
        queryParameters().forEach((k, v) -> text.append(URLEncoder.encode(k, StandardCharsets.UTF_8)).append('=')
                .append(URLEncoder.encode(v, StandardCharsets.UTF_8)).append('&'));
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Short human description for progress lines and errors (never contains the token). */
    public String describe() {
        String days = dateSince == null ? "" : " " + (dateSince.equals(dateUntil) ? dateSince : dateSince + ".." + dateUntil);
        String part = partsCount > 1 ? " part " + (partNumber + 1) + "/" + partsCount : "";
        return "app " + applicationId + " " + source + days + part;
    }
}

package org.appmetrica.loader.simulator;

import org.appmetrica.loader.schema.FieldCatalog;
import org.appmetrica.loader.schema.SourceSpec;
import org.appmetrica.loader.simulator.ExportRequestParser.Rejection;

import java.io.IOException;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/** {@code GET /logs/v1/export/{resource}.{csv|json}}: validates the request, asks the queue, answers the file. */
final class ExportEndpoint {

    static final String PREFIX = "/logs/v1/export/";
    static final String TEXT_TOO_LARGE = "Too much data. Try to use more parts.";

    private final ExportQueue queue;
    private final ExportFiles files;
    private final Faults faults;
    private final Supplier<Bandwidth> bandwidth;

    ExportEndpoint(ExportQueue queue, ExportFiles files, Faults faults, Supplier<Bandwidth> bandwidth) {
        this.queue = queue;
        this.files = files;
        this.faults = faults;
        this.bandwidth = bandwidth;
    }

    /**
     * @param duplicate the name of a query parameter given more than once, or null
     * @param access    application ids the token may read (empty = all)
     */
    Answer export(String path, Map<String, String> query, String duplicate, Set<Long> access, String cacheControl,
                  String acceptEncoding) throws IOException {
        String name = path.substring(PREFIX.length());
        int dot = name.lastIndexOf('.');
        if (name.contains("/") || dot <= 0) {
            return Answer.text(404, "Not found: unknown resource.");
        }
        String resource = name.substring(0, dot);
        String format = name.substring(dot + 1);
        SourceSpec source = FieldCatalog.get().source(resource).orElse(null);
        if (source == null) {
            return Answer.text(404, "Not found: unknown resource " + ExportRequestParser.printable(resource) + ".");
        }
        if (!format.equals("csv") && !format.equals("json")) {
            return Answer.text(404, "Not found: unknown format " + ExportRequestParser.printable(format)
                    + " (csv or json).");
        }
        ExportQuery q;
        try {
            if (duplicate != null) {
                throw new Rejection(400, "Invalid parameter " + ExportRequestParser.printable(duplicate)
                        + ": it is given more than once.");
            }
            long app = ExportRequestParser.applicationId(query);
            if (!access.isEmpty() && !access.contains(app)) {
                return Answer.text(403, "Access denied: the token has no access to application_id " + app + ".");
            }
            q = ExportRequestParser.parse(source, format.equals("json"), query);
        } catch (Rejection r) {
            return Answer.text(r.status, r.getMessage());
        }

        ExportQueue.Admission admission = queue.admit(q, RequestHeaders.CacheControl.parse(cacheControl));
        if (admission.answer() != null) {
            return admission.answer();
        }
        Rendered file;
        try {
            file = files.file(admission.prepared(), q.partsCount(), q.partNumber());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Answer.text(503, "Service unavailable.");
        }
        if (file == null) {
            return Answer.text(503, "Service unavailable: the export was restarted, repeat the request.");
        }
        if (file.tooLarge()) {
            return Answer.text(400, TEXT_TOO_LARGE);
        }
        return new FileAnswer(file, q.json() ? Answer.APPLICATION_JSON : "text/csv; charset=utf-8",
                RequestHeaders.acceptsGzip(acceptEncoding), faults, bandwidth.get());
    }
}

package org.appmetrica.loader.simulator;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import org.appmetrica.loader.schema.SourceSpec;

/**
 * A validated export request (what {@link LogsApiSimulator#holdExports} selects on).
 *
 * @param source        the resource
 * @param json          true for {@code .json}, false for {@code .csv}
 * @param applicationId requested application
 * @param days          whole days of the range in order; a single null element for dateless sources
 * @param fields        requested fields in request order (repeats kept)
 * @param filters       field to required value
 * @param limit         maximum rows of the export, 0 = no limit
 * @param bom           {@code use_utf8_bom=true}
 * @param partsCount    {@code parts_count} (1 when absent)
 * @param partNumber    {@code part_number} (0 when absent)
 * @param identity      export identity: resource, format and every parameter except the part selection, sorted
 */
public record ExportQuery(SourceSpec source, boolean json, long applicationId, List<LocalDate> days, List<String> fields,
                   Map<String, String> filters, long limit, boolean bom, int partsCount, int partNumber,
                   String identity) {
}

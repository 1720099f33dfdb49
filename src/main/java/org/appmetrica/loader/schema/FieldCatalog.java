package org.appmetrica.loader.schema;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Every Logs API source and field, read from {@code appmetrica-fields.tsv} (a copy of the API spec's fields.tsv).
 * The single source of truth for the client, the simulator, the processor and the DDL.
 */
public final class FieldCatalog {

    private static final String RESOURCE = "/appmetrica-fields.tsv";
    /** Integers documented as ids that exceed signed 64 bits in real data. */
    private static final Set<String> UNSIGNED_64 = Set.of(
            "appmetrica_device_id", "tracking_id", "session_id", "crash_id", "crash_group_id");
    /** Documented as integers, but shown empty or alphanumeric in the docs' examples: kept as text. */
    private static final Set<String> TEXT_IDS = Set.of("ecom_product_sku", "ecom_referrer_id", "ecom_order_id");
    private static final Set<String> DATELESS_SOURCES = Set.of("push_tokens", "profiles");
    private static final String NO_DATE_DIMENSION_SOURCE = "postbacks";

    private static final FieldCatalog INSTANCE = load();

    private final Map<String, SourceSpec> sources;

    private FieldCatalog(Map<String, SourceSpec> sources) {
        this.sources = sources;
    }

    public static FieldCatalog get() {
        return INSTANCE;
    }

    public List<SourceSpec> sources() {
        return List.copyOf(sources.values());
    }

    public Optional<SourceSpec> source(String name) {
        return Optional.ofNullable(sources.get(name));
    }

    public Set<String> sourceNames() {
        return sources.keySet();
    }

    /** Column type for a field, from its documented type and kind. */
    static ColumnType columnType(String name, String apiType, String kind) {
        switch (kind) {
            case "datetime":
                return ColumnType.DATETIME;
            case "timestamp":
                return ColumnType.UINT64;
            case "date":
                return ColumnType.DATE;
            default:
                break;
        }
        if (apiType.equals("boolean")) {
            return ColumnType.BOOL;
        }
        if (apiType.equals("integer")) {
            if (UNSIGNED_64.contains(name)) {
                return ColumnType.UINT64;
            }
            return TEXT_IDS.contains(name) ? ColumnType.STRING : ColumnType.INT64;
        }
        return ColumnType.STRING;
    }

    private static FieldCatalog load() {
        try (InputStream in = FieldCatalog.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing class path resource " + RESOURCE);
            }
            return parse(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static FieldCatalog parse(InputStream in) throws IOException {
        Map<String, List<FieldSpec>> fields = new LinkedHashMap<>();
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        String line = reader.readLine(); // header: endpoint field api_type is_datetime notes
        while ((line = reader.readLine()) != null) {
            if (line.isBlank()) {
                continue;
            }
            String[] cols = line.split("\t", -1);
            String source = cols[0];
            String name = cols[1];
            if (!name.matches("[a-z][a-z0-9_]*")) {
                continue; // the "<any attribute name>" placeholder of profiles_v2
            }
            String notes = cols.length > 4 ? cols[4] : "";
            // Fields the docs copied from the Data Stream API are requestable, but not by default.
            boolean inDefault = !notes.contains("Data Stream");
            fields.computeIfAbsent(source, k -> new ArrayList<>())
                    .add(new FieldSpec(name, cols[2], cols[3], columnType(name, cols[2], cols[3]), inDefault));
        }
        Map<String, SourceSpec> sources = new LinkedHashMap<>();
        fields.forEach((name, list) -> sources.put(name, new SourceSpec(name, list,
                !DATELESS_SOURCES.contains(name), !NO_DATE_DIMENSION_SOURCE.equals(name))));
        return new FieldCatalog(sources);
    }
}

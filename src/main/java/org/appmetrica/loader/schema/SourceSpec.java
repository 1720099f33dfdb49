package org.appmetrica.loader.schema;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * One Logs API source ("table"): its URL name and fields in documentation order.
 *
 * @param name           resource name in {@code /logs/v1/export/{name}.csv}, also the ClickHouse table name
 * @param fields         every field the source exports
 * @param datesRequired  false for sources exported without a date range (push_tokens, legacy profiles)
 * @param dateDimensionAccepted false for postbacks, which reject {@code date_dimension}
 */
public record SourceSpec(String name, List<FieldSpec> fields, boolean datesRequired, boolean dateDimensionAccepted) {

    public SourceSpec {
        fields = List.copyOf(fields);
    }

    public Optional<FieldSpec> field(String fieldName) {
        return fields.stream().filter(f -> f.name().equals(fieldName)).findFirst();
    }

    /** Fields requested when the user names none. */
    public List<FieldSpec> defaultFields() {
        return fields.stream().filter(FieldSpec::inDefaultSet).toList();
    }

    public Map<String, FieldSpec> fieldsByName() {
        return fields.stream().collect(Collectors.toMap(FieldSpec::name, Function.identity()));
    }
}

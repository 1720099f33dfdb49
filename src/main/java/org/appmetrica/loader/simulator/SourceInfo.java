package org.appmetrica.loader.simulator;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.appmetrica.loader.schema.FieldSpec;
import org.appmetrica.loader.schema.SourceSpec;

/** Per-source facts the generators need: the range moment and the compiled value rule of every catalogue field. */
final class SourceInfo {

    private static final Map<String, SourceInfo> CACHE = new ConcurrentHashMap<>();

    final SourceSpec spec;
    final String name;
    final long hash;
    final boolean dateless;
    /** Prefix of the row's own moment, e.g. {@code event} for events, {@code click} for clicks. */
    final String primaryPrefix;
    final Map<String, FieldGen> fields;

    private SourceInfo(SourceSpec spec) {
        this.spec = spec;
        this.name = spec.name();
        this.hash = Mix.hash("source:" + spec.name());
        this.dateless = !spec.datesRequired();
        this.primaryPrefix = primaryPrefix(spec);
        Map<String, FieldGen> gens = new LinkedHashMap<>();
        for (FieldSpec f : spec.fields()) {
            gens.put(f.name(), new FieldGen(f.name(), Mix.hash(f.name()), ValueRules.generator(this, f),
                    ValueRules.SESSION_FIELDS.contains(f.name())));
        }
        this.fields = Map.copyOf(gens);
    }

    static SourceInfo of(SourceSpec spec) {
        SourceInfo info = CACHE.get(spec.name());
        if (info == null || !info.spec.equals(spec)) {
            info = new SourceInfo(spec);
            CACHE.put(spec.name(), info);
        }
        return info;
    }

    FieldGen field(String fieldName) {
        FieldGen g = fields.get(fieldName);
        if (g == null) {
            throw new IllegalArgumentException("unknown field " + fieldName + " of source " + name);
        }
        return g;
    }

    /**
     * The moment whose datetime the date range selects: the prefix that also has a {@code _receive_datetime}
     * (events, installations, crashes, ...); for postbacks the attempt; otherwise the first datetime field (clicks).
     */
    private static String primaryPrefix(SourceSpec spec) {
        String first = null;
        for (FieldSpec f : spec.fields()) {
            String n = f.name();
            if (n.endsWith("_datetime") && !n.endsWith("_receive_datetime")) {
                String prefix = n.substring(0, n.length() - "_datetime".length());
                if (spec.field(prefix + "_receive_datetime").isPresent()) {
                    return prefix;
                }
                if (first == null) {
                    first = prefix;
                }
            }
        }
        if (spec.field("attempt_datetime").isPresent()) {
            return "attempt";
        }
        return first;
    }
}

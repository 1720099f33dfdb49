package org.appmetrica.loader.standalone;

import picocli.CommandLine;

/** {@code --log-format}: progress lines for people, or one JSON object a line for log shippers. */
enum LogFormat {
    human, json;

    /** Spaces around the name are forgiven (an environment variable's value), nothing else. */
    static final class Converter implements CommandLine.ITypeConverter<LogFormat> {
        @Override
        public LogFormat convert(String value) {
            String f = value.trim();
            for (LogFormat format : values()) {
                if (format.name().equals(f)) {
                    return format;
                }
            }
            throw new CommandLine.TypeConversionException("expected human or json, not '" + value + "'");
        }
    }
}

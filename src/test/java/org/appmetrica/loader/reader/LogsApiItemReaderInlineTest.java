package org.appmetrica.loader.reader;

/** The reader's contract with the chunk thread parsing the rows itself ({@code appmetrica.parseAhead} off, the default). */
class LogsApiItemReaderInlineTest extends LogsApiItemReaderTest {

    @Override
    boolean parseAhead() {
        return false;
    }
}

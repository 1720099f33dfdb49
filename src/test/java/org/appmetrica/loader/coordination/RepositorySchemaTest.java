package org.appmetrica.loader.coordination;

import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RepositorySchemaTest {

    private static Connection fresh() throws Exception {
        return DriverManager.getConnection("jdbc:h2:mem:schema-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");
    }

    private static List<String> versions(Connection c) throws Exception {
        List<String> rows = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT VERSION, SCRIPT FROM APPMETRICA_SCHEMA_VERSION ORDER BY VERSION")) {
            while (rs.next()) {
                rows.add(rs.getInt(1) + " " + rs.getString(2));
            }
        }
        return rows;
    }

    @Test
    void appliesEveryScriptOnceInOrder() throws Exception {
        try (Connection c = fresh()) {
            assertEquals(List.of(1, 2), RepositorySchema.upgrade(c));
            assertEquals(List.of(), RepositorySchema.upgrade(c), "nothing left to apply");
            assertEquals(List.of("1 V1__appmetrica_tables.sql", "2 V2__restart_claims.sql"), versions(c));
            try (Statement s = c.createStatement()) {
                s.execute("INSERT INTO APPMETRICA_RESTART_CLAIM (JOBEXECUTIONID, PROCESS_KEY, CLAIMED) VALUES (1, 'h|1|1', CURRENT_TIMESTAMP)");
                s.execute("INSERT INTO APPMETRICA_CONNECTIONS (NAME, DEFINITION, PAUSED, CREATED, UPDATED) VALUES ('a', '{}', FALSE, "
                        + "CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)");
            }
        }
    }

    @Test
    void aRepositoryOfAnEarlierVersionKeepsItsRowsAndIsUpgraded() throws Exception {
        try (Connection c = fresh()) {
            try (Statement s = c.createStatement()) { // as versions before the scripts made it
                s.execute("CREATE TABLE APPMETRICA_PROCESS (PROCESS_KEY VARCHAR(300) PRIMARY KEY, HEARTBEAT TIMESTAMP NOT NULL)");
                s.execute("INSERT INTO APPMETRICA_PROCESS VALUES ('h|1|1', CURRENT_TIMESTAMP)");
            }
            assertEquals(List.of(1, 2), RepositorySchema.upgrade(c));
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM APPMETRICA_PROCESS")) {
                assertTrue(rs.next());
                assertEquals(1, rs.getInt(1));
            }
        }
    }

    @Test
    void statementsEndAtASemicolonAtTheEndOfALine() {
        assertEquals(List.of("CREATE TABLE A (X INT,\nY INT)", "CREATE TABLE B (X INT)"),
                RepositorySchema.statements("-- comment\nCREATE TABLE A (X INT,\n    Y INT);\n\nCREATE TABLE B (X INT);\n"));
    }
}

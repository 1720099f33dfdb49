package org.appmetrica.loader.connection;

/** Connections for tests, from JSON as a user writes them. */
final class Connections {

    private Connections() {
    }

    static Connection oneTime(String name, String loadFrom) {
        return Connection.fromJson("{\"name\": \"" + name + "\", \"applications\": [1111, 2222], \"sources\": {\"events\": {}, "
                + "\"installations\": {\"fields\": [\"application_id\", \"install_datetime\"]}}, \"loadFrom\": \"" + loadFrom + "\", "
                + "\"regularity\": \"one-time\", \"tokenRef\": \"env:SHOP_TOKEN\", "
                + "\"target\": {\"url\": \"jdbc:clickhouse://127.0.0.1:8123\", \"database\": \"shop\", \"passwordRef\": \"env:CH_PASSWORD\"}}")
                .validated();
    }
}

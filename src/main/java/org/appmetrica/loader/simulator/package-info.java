/**
 * A local AppMetrica Logs API for tests: {@link LogsApiSimulator} serves the export
 * protocol of docs/logs-api.md §4–§6 over HTTP on 127.0.0.1, {@link SimulatedData} is the
 * deterministic ground truth it serves (a pure function of seed, application, source, day, row and field name).
 * Sources and fields always come from {@link org.appmetrica.loader.schema.FieldCatalog}.
 */
package org.appmetrica.loader.simulator;

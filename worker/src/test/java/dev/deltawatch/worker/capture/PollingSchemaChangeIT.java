package dev.deltawatch.worker.capture;

import org.junit.jupiter.api.BeforeAll;

class PollingSchemaChangeIT extends SchemaChangeScenario {
    @BeforeAll
    static void start() throws Exception {
        startIn("ddl_polling", SchemaMode.POLLING, SchemaMode.POLLING);
    }
}

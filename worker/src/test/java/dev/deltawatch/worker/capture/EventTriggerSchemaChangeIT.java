package dev.deltawatch.worker.capture;

import org.junit.jupiter.api.BeforeAll;

class EventTriggerSchemaChangeIT extends SchemaChangeScenario {
    @BeforeAll
    static void start() throws Exception {
        startIn("ddl_trigger", SchemaMode.AUTO, SchemaMode.EVENT_TRIGGER);
    }
}

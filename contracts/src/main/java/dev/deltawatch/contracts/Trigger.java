package dev.deltawatch.contracts;

/**
 * Why a check ran: the change that caused it, or a schedule, or a person.
 *
 * @param reason     what kind of cause
 * @param eventId    the change event id, when a change caused it
 * @param lsn        the WAL position of that change
 * @param txId       its transaction id
 * @param ddlCommand the DDL command tag and object, when a schema change caused it
 */
public record Trigger(Reason reason, String eventId, String lsn, Long txId, String ddlCommand) {

    public enum Reason { DELTA_CHANGE, SCHEMA_CHANGE, SCHEDULE, MANUAL, LOAD_TEST }

    public Trigger {
        Require.present(reason, "trigger.reason");
    }

    public static Trigger manual() {
        return new Trigger(Reason.MANUAL, null, null, null, null);
    }

    public static Trigger schedule() {
        return new Trigger(Reason.SCHEDULE, null, null, null, null);
    }
}
